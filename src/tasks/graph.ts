/**
 * Building the dependency tree of task instances: resolving parameters, computing
 * output hashes bottom-up, and rejecting parameters that no task in the tree uses.
 */
import { realpathSync, statSync } from 'node:fs';
import { ConfigError, TaskError, didYouMean } from '../errors.js';
import { convertParameter, type ParameterValue } from './parameters.js';
import type { TaskRegistry } from './registry.js';
import { computeTaskHash, taskOutputDir, type ResolvedParameters, type TaskDefinition, type TaskEnvironment, type TaskInstance } from './task.js';

/**
 * Resolve a task's parameters: forced values, then user values, then defaults. The names
 * of user values that were taken are added to `usedUserValues`.
 */
export function resolveParameters(
  definition: TaskDefinition,
  env: TaskEnvironment,
  overrides: Record<string, ParameterValue> = {},
  usedUserValues: Set<string> = new Set(),
): ResolvedParameters {
  const resolved: ResolvedParameters = {};
  for (const spec of definition.parameters) {
    if (spec.name in overrides) {
      resolved[spec.name] = convertParameter(spec, overrides[spec.name], `forced by a task that requires ${definition.name}`);
    } else if (spec.name in env.values) {
      resolved[spec.name] = convertParameter(spec, env.values[spec.name], env.origins?.[spec.name] ?? 'given by the user');
      usedUserValues.add(spec.name);
    } else {
      resolved[spec.name] = spec.default;
    }
  }
  return resolved;
}

/** Build the instance of `taskName` and, recursively, of everything it requires. */
export function buildTaskTree(registry: TaskRegistry, taskName: string, env: TaskEnvironment): TaskInstance {
  const usedUserValues = new Set<string>();
  const root = buildInstance(registry, registry.get(taskName), env, {}, [], usedUserValues);
  checkUserParameters(registry, root, env, usedUserValues);
  return root;
}

function buildInstance(
  registry: TaskRegistry,
  definition: TaskDefinition,
  env: TaskEnvironment,
  overrides: Record<string, ParameterValue>,
  chain: string[],
  usedUserValues: Set<string>,
): TaskInstance {
  if (chain.includes(definition.name)) {
    throw new TaskError(`task dependency cycle: ${[...chain, definition.name].join(' -> ')}`);
  }
  const parameters = resolveParameters(definition, env, overrides, usedUserValues);
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
      usedUserValues,
    ),
  }));
  const inputFiles = definition.inputFiles ? definition.inputFiles(parameters, env) : [];
  const ownIdentity = definition.identity ? definition.identity(parameters, env) : undefined;
  const identity =
    inputFiles.length > 0 ? { inputs: inputFiles.map(fileIdentity), own: ownIdentity ?? null } : ownIdentity;
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

/**
 * Identify an input file by its real path (symbolic links resolved), size and modification
 * time, so that a rewritten file is never taken for the one an output was made from.
 */
function fileIdentity(file: string): { path: string; bytes: number; modified: number } {
  const stats = statSync(file);
  return { path: realpathSync(file), bytes: stats.size, modified: stats.mtimeMs };
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

function checkUserParameters(registry: TaskRegistry, root: TaskInstance, env: TaskEnvironment, usedUserValues: Set<string>): void {
  const declared = new Set<string>();
  for (const instance of flattenTree(root)) for (const spec of instance.definition.parameters) declared.add(spec.name);
  const everywhere = registry.allParameterNames();
  for (const name of Object.keys(env.values)) {
    if (usedUserValues.has(name)) continue;
    const fromConfig = env.origins?.[name]?.startsWith('set in ') ?? false;
    // Config defaults may name parameters of tasks outside this tree.
    if (fromConfig && everywhere.has(name) && !declared.has(name)) continue;
    const reason = declared.has(name)
      ? `has no effect on ${root.definition.name}: every task in its tree that declares '${name}' gets a value forced by the task that requires it`
      : `is not used by ${root.definition.name} or the tasks it requires`;
    const candidates = [...declared].filter((candidate) => candidate !== name);
    const related = candidates.filter((candidate) => candidate.includes(name));
    const hint = related.length > 0 ? ` Did you mean ${related.map((c) => `'${c}'`).join(' or ')}?` : didYouMean(name, candidates);
    const message = `parameter '${name}' ${reason}.${hint} Run 'bhive tasks' to list the parameters of each task.`;
    if (fromConfig) {
      if (declared.has(name)) continue;
      throw new ConfigError(message, { configFile: env.config.path, configKey: `parameters.${name}` });
    }
    throw new TaskError(message);
  }
}
