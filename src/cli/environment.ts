/** The task environment that `bhive run` and `bhive status` build from their options. */
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import type { ParameterValue } from '../tasks/parameters.js';
import type { TaskEnvironment } from '../tasks/task.js';
import type { ParsedArguments } from './args.js';

export const ENVIRONMENT_OPTIONS = [
  { name: 'config' },
  { name: 'output-dir' },
  { name: 'data-dir' },
] as const;

/** Load the config and merge parameter values: the command line wins over the config's `parameters`. */
export async function buildEnvironment(args: ParsedArguments): Promise<TaskEnvironment> {
  const configPath = args.options.config;
  if (typeof configPath !== 'string') {
    throw new ConfigError('missing --config FILE: name the YAML configuration of the physics setup, for example --config configs/nanox_deepjet.yml');
  }
  const config = await loadConfig(configPath);
  const values: Record<string, ParameterValue> = { ...config.parameters, ...args.parameters };
  const origins: Record<string, string> = {};
  for (const name of Object.keys(config.parameters)) origins[name] = `set in ${config.path}, key parameters.${name}`;
  for (const name of Object.keys(args.parameters)) origins[name] = 'given on the command line';
  const outputDir = typeof args.options['output-dir'] === 'string' ? args.options['output-dir'] : 'results';
  const dataDirOption = typeof args.options['data-dir'] === 'string' ? args.options['data-dir'] : process.env.BHIVE_DATA;
  return {
    config,
    values,
    origins,
    outputRoot: path.resolve(outputDir),
    dataDir: dataDirOption ? path.resolve(dataDirOption) : undefined,
  };
}
