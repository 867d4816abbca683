/**
 * `bhive _build-part OUTPUT_DIR PART <run arguments>`: the job side of a task split into
 * parts (see `TaskDefinition.parts`). It rebuilds the task tree from the `bhive run`
 * arguments and builds the one part of the task that writes OUTPUT_DIR.
 */
import { TaskError } from '../errors.js';
import { buildTaskTree, flattenTree } from '../tasks/graph.js';
import { ConsoleReporter } from '../tasks/reporter.js';
import { parseArguments } from './args.js';
import { buildEnvironment } from './environment.js';
import { createRegistryWithModules, modulePathsOption } from './modules.js';
import { RUN_OPTIONS } from './run-command.js';

export async function buildPartCommand(argv: string[]): Promise<number> {
  const [outputDir, partName, ...runArgv] = argv;
  if (outputDir === undefined || partName === undefined) throw new TaskError('usage: bhive _build-part OUTPUT_DIR PART <bhive run arguments>');
  const args = parseArguments(runArgv, RUN_OPTIONS);
  const registry = await createRegistryWithModules(modulePathsOption(args.options.module));
  const env = await buildEnvironment(args);
  const root = buildTaskTree(registry, args.positional[0] ?? '', env);
  const instance = flattenTree(root).find((candidate) => candidate.outputDir === outputDir);
  if (!instance) throw new TaskError(`no task of this tree writes ${outputDir}`);
  const parts = instance.definition.parts;
  if (!parts) throw new TaskError(`task ${instance.definition.name} is not split into parts, so it has no part '${partName}'`);
  const reporter = new ConsoleReporter(process.stderr, Boolean(args.options.quiet));
  const inputs: Record<string, string> = {};
  for (const { key, instance: upstream } of instance.requirements) inputs[key] = upstream.outputDir;
  reporter.info(`${instance.definition.name}: building ${partName} of ${outputDir}`);
  await parts.run(
    { config: env.config, parameters: instance.parameters, outputDir, finalOutputDir: outputDir, inputs, dataDir: env.dataDir, reporter },
    partName,
  );
  reporter.endProgress();
  reporter.close();
  return 0;
}
