/** `bhive run <Task> --config FILE [--name value ...]`: produce a task's output and everything it needs. */
import { buildTaskTree, flattenTree } from '../tasks/graph.js';
import { createTaskRegistry } from '../tasks/register-builtins.js';
import { ConsoleReporter } from '../tasks/reporter.js';
import { runTaskTree, taskState } from '../tasks/runner.js';
import { TaskError } from '../errors.js';
import { parseArguments } from './args.js';
import { ENVIRONMENT_OPTIONS, buildEnvironment } from './environment.js';

export const RUN_HELP = `usage: bhive run <Task> --config FILE [options] [--parameter value ...]

Runs a task after running whichever of its upstream tasks have no complete output yet.

options:
  --config FILE       YAML configuration of the physics setup (required)
  --output-dir DIR    root folder of all task outputs (default: ./results)
  --data-dir DIR      folder against which the config's input patterns resolve
                      (default: $BHIVE_DATA, else the config's inputs.data_dir)
  --dry-run           print the tasks that would run, and run nothing
  --quiet             print no progress bars

Task parameters (see 'bhive tasks') are given as --name value, for example --epochs 5.`;

export async function runCommand(argv: string[]): Promise<number> {
  const args = parseArguments(argv, [...ENVIRONMENT_OPTIONS, { name: 'dry-run', flag: true }, { name: 'quiet', flag: true }, { name: 'help', flag: true }]);
  if (args.options.help) {
    process.stdout.write(`${RUN_HELP}\n`);
    return 0;
  }
  const taskName = args.positional[0];
  if (!taskName) throw new TaskError(`missing task name.\n${RUN_HELP}`);
  if (args.positional.length > 1) throw new TaskError(`unexpected argument '${args.positional[1]}'; give parameters as --name value`);
  const registry = createTaskRegistry();
  const env = await buildEnvironment(args);
  const root = buildTaskTree(registry, taskName, env);
  const reporter = new ConsoleReporter(process.stderr, Boolean(args.options.quiet));
  if (args.options['dry-run']) {
    for (const instance of flattenTree(root)) {
      const state = taskState(instance);
      process.stdout.write(`${state === 'complete' ? 'reuse' : 'run  '}  ${instance.definition.name}  ${instance.outputDir}\n`);
    }
    return 0;
  }
  const summary = await runTaskTree(root, env, reporter);
  reporter.close();
  reporter.info(`${taskName} complete: ${summary.ran.length} task(s) ran, ${summary.reused.length} reused. Output: ${root.outputDir}`);
  return 0;
}
