/** Finding a task's output directory from command-line arguments, for scripts such as the demo. */
import { buildTaskTree } from '../tasks/graph.js';
import { createRegistryWithModules, modulePathsOption } from './modules.js';
import { parseArguments } from './args.js';
import { RUN_OPTIONS } from './run-command.js';
import { buildEnvironment } from './environment.js';

/** Return the output directory that `bhive run <taskName> ...argv` uses. */
export async function findOutput(taskName: string, argv: string[]): Promise<string> {
  const args = parseArguments(argv, RUN_OPTIONS);
  const env = await buildEnvironment(args);
  return buildTaskTree(await createRegistryWithModules(modulePathsOption(args.options.module)), taskName, env).outputDir;
}
