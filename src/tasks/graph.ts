/**
 * Building the dependency tree of task instances: resolving parameters, computing
 * output hashes bottom-up, and rejecting parameters that no task in the tree uses.
 */
import { statSync } from 'node:fs';
import { ConfigError, TaskError, didYouMean } from '../errors.js';
import { convertParameter, type ParameterValue } from './parameters.js';
import type { TaskRegistry } from './registry.js';
import { computeTaskHash, taskOutputDir, type ResolvedParameters, type TaskDefinition, type TaskEnvironment, type TaskInstance } from './task.js';

/** Resolve a task's parameters: overrides, then user values, then defaults. */
export function resolveParameters(
  definition: TaskDefinition,
  env: TaskEnvironment,
  overrides: Record<string, ParameterValue> = {},
): ResolvedParameters {
  const resolved: ResolvedParameters = {};
  for (const spec of definition.parameters) {
    if (spec.name in overrides) resolved[spec.name] = convertParameter(spec, overrides[spec.name], `required by an upstream task`);
    else if (spec.name in env.values) resolved[spec.name] = convertParameter(spec, env.values[spec.name], 'given by the user');
    else resolved[spec.name] = spec.default;
  }
  return resolved;
}

/** Build the instance of `taskName` and, recursively, of everything it requires. */
export function buildTaskTree(registry: TaskRegistry, taskName: string, env: TaskEnvironment): TaskInstance {
  const root = buildInstance(registry, registry.get(taskName), env, {}, []);
  checkUserParameters(registry, root, env);
  return root;
}

function buildInstance(
  registry: TaskRegistry,
  definition: TaskDefinition,
  env: TaskEnvironment,
  overrides: Record<string, ParameterValue>,
  chain: string[],
): TaskInstance {
  if (chain.includes(definition.name)) {
    throw new TaskError(`task dependency cycle: ${[...chain, definition.name].join(' -> ')}`);
  }
  const parameters = resolveParameters(definition, env, overrides);
  definition.check?.(parameters, env);
  // Forced values pass down the whole tree; a requirement's own overrides win over inherited ones.
  const requirements = definition.requires(parameters, env).map((requirement) => ({
    key: requirement.key,
    instance: buildInstance(
      registry,
      registry.get(requirement.task),
      env,
      { ...overrides, ...(requirement.overrides ?? {}) },
      [...chain, definition.name],
    ),
  }));
  const inputFiles = definition.inputFiles ? definition.inputFiles(parameters, env) : [];
  const ownIdentity = definition.identity ? definition.identity(parameters, env) : undefined;
  const identity =
    inputFiles.length > 0 ? { inputs: inputFiles.map((file) => ({ path: file, bytes: statSync(file).size })), own: ownIdentity ?? null } : ownIdentity;
  const upstreamHashes: Record<string, string> = {};
  for (const { key, instance } of requirements) upstreamHashes[key] = `${instance.definition.name}:${instance.hash}`;
  const hash = computeTaskHash(definition, parameters, env.config, identity, upstreamHashes);
  const tag = definition.tag ? definition.tag(parameters) : '';
  return {
    definition,
    parameters,
    hash,
    outputDir: taskOutputDir(env.outputRoot, definition, env.config.name, tag, hash),
    requirements,
    identity,
    inputFiles,
  };
}

/** Return every instance of the tree, upstream first, each output directory once. */
export function flattenTree(root: TaskInstance): TaskInstance[] {
  const ordered: TaskInstance[] = [];
  const seen = new Set<string>();
  const visit = (instance: TaskInstance): void => {
    if (seen.has(instance.outputDir)) return;
    for (const { instance: upstream } of instance.requirements) visit(upstream);
    seen.add(instance.outputDir);
    ordered.push(instance);
  };
  visit(root);
  return ordered;
}

function checkUserParameters(registry: TaskRegistry, root: TaskInstance, env: TaskEnvironment): void {
  const used = new Set<string>();
  for (const instance of flattenTree(root)) for (const spec of instance.definition.parameters) used.add(spec.name);
  const everywhere = registry.allParameterNames();
  for (const name of Object.keys(env.values)) {
    if (used.has(name)) continue;
    const fromConfig = name in env.config.parameters;
    if (fromConfig && everywhere.has(name)) continue;
    const message = `parameter '${name}' is not used by ${root.definition.name} or the tasks it requires.${didYouMean(name, everywhere)} Run 'bhive tasks' to list the parameters of each task.`;
    if (fromConfig) throw new ConfigError(message, { configFile: env.config.path, configKey: `parameters.${name}` });
    throw new TaskError(message);
  }
}
