/** Finding a task's output directory from command-line arguments, for scripts such as the demo. */
import { buildTaskTree } from '../tasks/graph.js';
import { createTaskRegistry } from '../tasks/register-builtins.js';
import { parseArguments } from './args.js';
import { ENVIRONMENT_OPTIONS, buildEnvironment } from './environment.js';

/** Return the output directory that `bhive run <taskName> ...argv` uses. */
export async function findOutput(taskName: string, argv: string[]): Promise<string> {
  const args = parseArguments(argv, [...ENVIRONMENT_OPTIONS, { name: 'dry-run', flag: true }, { name: 'quiet', flag: true }]);
  const env = await buildEnvironment(args);
  return buildTaskTree(createTaskRegistry(), taskName, env).outputDir;
}
