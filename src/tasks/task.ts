/**
 * Task definitions and their instances. A definition declares parameters, the config
 * sections that change its output, its upstream tasks and a `run` function. An instance
 * is a definition with resolved parameter values. Its output directory is derived from
 * the task name, the config name, a readable tag and a hash of everything significant.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { BhiveConfig } from '../config/types.js';
import type { ParameterSpec, ParameterValue } from './parameters.js';
import type { Reporter } from './reporter.js';

export type ResolvedParameters = Record<string, ParameterValue>;

/** An upstream task that a task needs, with parameter values forced for that requirement. */
export interface Requirement {
  /** Name under which `run` finds the upstream output directory in `inputs`. */
  key: string;
  task: string;
  overrides?: Record<string, ParameterValue>;
}

/** Context passed to a task's `run`. */
export interface RunContext {
  config: BhiveConfig;
  parameters: ResolvedParameters;
  /** Temporary directory to write into; it is renamed to the final output directory on success. */
  outputDir: string;
  /**
   * The final output directory that `outputDir` becomes on success. A task may keep state
   * that survives a killed run beside it (such as `<finalOutputDir>.partial/`), because the
   * output's lock keeps other processes away from it.
   */
  finalOutputDir?: string;
  /** Final output directories of the requirements, keyed by `Requirement.key`. */
  inputs: Record<string, string>;
  /** Data directory given on the command line or by BHIVE_DATA, if any. */
  dataDir?: string;
  reporter: Reporter;
}

/** Values that the whole invocation shares. */
export interface TaskEnvironment {
  config: BhiveConfig;
  /** Parameter values given by the user (command line over the config's `parameters`). */
  values: Record<string, ParameterValue>;
  /** Where each user value came from, for error messages. */
  origins?: Record<string, string>;
  /** Root of all task outputs. */
  outputRoot: string;
  dataDir?: string;
}

export interface TaskDefinition {
  name: string;
  description: string;
  parameters: ParameterSpec[];
  /** Config sections whose values change this task's output. */
  configKeys: ReadonlyArray<keyof BhiveConfig>;
  requires(parameters: ResolvedParameters, env: TaskEnvironment): Requirement[];
  /** Validate parameter values before anything runs, raising an error that names the bad value. */
  check?(parameters: ResolvedParameters, env: TaskEnvironment): void;
  /** Readable part of the output directory name, such as `deepjet-e30`. */
  tag?(parameters: ResolvedParameters): string;
  /**
   * Input files read by the task. Their paths and sizes enter the output hash, and
   * provenance.json records them with their modification times. It may raise errors for
   * missing inputs.
   */
  inputFiles?(parameters: ResolvedParameters, env: TaskEnvironment): string[];
  /**
   * Extra identity entering the output hash, computed before running (for example the
   * input files with their sizes). It may raise errors for missing inputs.
   */
  identity?(parameters: ResolvedParameters, env: TaskEnvironment): unknown;
  run(context: RunContext): Promise<void>;
  /**
   * Splitting for batch executors: each part runs as its own job (`bhive _build-part`)
   * before the task's own job, whose `run` then finds the parts complete. A local run
   * ignores this and `run` does all the work.
   */
  parts?: {
    list(instance: TaskInstance): TaskPart[];
    run(context: RunContext, partName: string): Promise<void>;
  };
  /** Resources for a batch job of this task; the executor's defaults apply when absent. */
  resources?: { cpus?: number; memoryMB?: number; gpus?: number; timeMinutes?: number };
}

/** A piece of a task's work that a batch executor runs as a separate job. */
export interface TaskPart {
  /** Name passed to `parts.run` and used as the part's job folder, such as `part-00003`. */
  name: string;
  /** Returns true when the part's result exists already. */
  complete(): boolean;
}

export interface TaskInstance {
  definition: TaskDefinition;
  parameters: ResolvedParameters;
  /** Short hash of the significant parameters, config sections, identity and upstream hashes. */
  hash: string;
  outputDir: string;
  requirements: Array<{ key: string; instance: TaskInstance }>;
  /** The identity value, for provenance. */
  identity: unknown;
  /** Absolute paths of the input files, for provenance. */
  inputFiles: string[];
}

/** Build a JSON string with object keys sorted, so that hashes do not depend on key order. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(item as Record<string, unknown>).sort()) sorted[k] = (item as Record<string, unknown>)[k];
      return sorted;
    }
    return item;
  });
}

/** Return the config sections named by `keys`. */
export function pickConfig(config: BhiveConfig, keys: ReadonlyArray<keyof BhiveConfig>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) picked[key] = config[key];
  return picked;
}

/** Compute the output hash (12 hex digits of SHA-256) of a task with resolved inputs. */
export function computeTaskHash(
  definition: TaskDefinition,
  parameters: ResolvedParameters,
  config: BhiveConfig,
  identity: unknown,
  upstreamHashes: Record<string, string>,
): string {
  const significant: Record<string, ParameterValue> = {};
  for (const spec of definition.parameters) {
    if (spec.significant) significant[spec.name] = parameters[spec.name];
  }
  const payload = stableStringify({
    task: definition.name,
    parameters: significant,
    config: pickConfig(config, definition.configKeys),
    identity: identity ?? null,
    upstream: upstreamHashes,
  });
  return createHash('sha256').update(payload).digest('hex').slice(0, 12);
}

/** Output directory of a task: ROOT/Task/config-name/tag-hash. */
export function taskOutputDir(outputRoot: string, definition: TaskDefinition, configName: string, tag: string, hash: string): string {
  const leaf = tag ? `${sanitise(tag)}-${hash}` : hash;
  return path.join(outputRoot, definition.name, configName, leaf);
}

function sanitise(tag: string): string {
  return tag.replace(/[^A-Za-z0-9_.=-]+/g, '_').slice(0, 80);
}
