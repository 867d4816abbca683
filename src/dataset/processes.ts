/** Assignment of input files to the config's physics processes by file-name globs. */

import path from 'node:path';
import { globToRegExp } from '../config/inputs.js';
import type { BhiveConfig, ProcessSpec } from '../config/types.js';
import { InputError } from '../errors.js';

/**
 * Returns the process of each file, in file order, or undefined when the config has no processes.
 * @throws InputError naming the file when it matches no process or more than one.
 */
export function assignProcesses(config: BhiveConfig, files: string[]): ProcessSpec[] | undefined {
  const processes = config.processes;
  if (processes === undefined) return undefined;
  const matchers = processes.map((p) => ({ process: p, regexes: p.patterns.map(globToRegExp) }));
  return files.map((file) => {
    const name = path.basename(file);
    const matches = matchers.filter((m) => m.regexes.some((regex) => regex.test(name))).map((m) => m.process);
    if (matches.length !== 1) {
      const found = matches.length === 0 ? 'matches no process' : `matches the processes ${matches.map((p) => `'${p.name}'`).join(' and ')}`;
      throw new InputError(
        `input file ${file} ${found}; make the file patterns under processes in ${config.path} match each input file exactly once ` +
          `(processes: ${processes.map((p) => `${p.name} [${p.patterns.join(', ')}]`).join('; ')})`,
        { file, configFile: config.path, configKey: 'processes' },
      );
    }
    return matches[0];
  });
}

/** Returns `config` with the process's selection AND-ed to the config's selection. */
export function configForProcess(config: BhiveConfig, process: ProcessSpec | undefined): BhiveConfig {
  if (process?.selection === undefined) return config;
  const selection = config.selection === undefined ? process.selection : `(${config.selection}) && (${process.selection})`;
  return { ...config, selection };
}

/**
 * Returns the per-jet process index [jets] of `numJets` jets of one file, all set to the
 * position of `process` in the config's process list, or an empty object without processes.
 */
export function processIndexOf(config: BhiveConfig, process: ProcessSpec | undefined, numJets: number): { process?: Int32Array } {
  if (process === undefined || config.processes === undefined) return {};
  return { process: new Int32Array(numJets).fill(config.processes.indexOf(process)) };
}

/** Returns the process names of the config in index order, or undefined without processes. */
export function processNamesOf(config: BhiveConfig): string[] | undefined {
  return config.processes?.map((p) => p.name);
}
