/** `bhive status <Task> --config FILE`: the dependency tree with each task's state and output. */
import { buildTaskTree } from '../tasks/graph.js';
import { createRegistryWithModules, modulePathsOption } from './modules.js';
import { taskState } from '../tasks/runner.js';
import type { TaskInstance } from '../tasks/task.js';
import { TaskError } from '../errors.js';
import { parseArguments } from './args.js';
import { ENVIRONMENT_OPTIONS, buildEnvironment } from './environment.js';

export async function statusCommand(argv: string[]): Promise<number> {
  const args = parseArguments(argv, [...ENVIRONMENT_OPTIONS, { name: 'module' }]);
  const taskName = args.positional[0];
  if (!taskName) throw new TaskError('missing task name: bhive status <Task> --config FILE');
  const env = await buildEnvironment(args);
  const root = buildTaskTree(await createRegistryWithModules(modulePathsOption(args.options.module)), taskName, env);
  const lines: string[] = [];
  const visit = (instance: TaskInstance, depth: number): void => {
    lines.push(`${'  '.repeat(depth)}${instance.definition.name} [${taskState(instance)}] ${instance.outputDir}`);
    for (const { instance: upstream } of instance.requirements) visit(upstream, depth + 1);
  };
  visit(root, 0);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
