/**
 * Resolution of a sample's input patterns into file paths. Patterns may use `*`, `?` and
 * character classes such as `[1-5]` in the file name (not in directory names).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, InputError, didYouMean } from '../errors.js';
import type { BhiveConfig } from './types.js';

/** Return the sorted, de-duplicated files of `sample`, resolved against `dataDir` or the config's data_dir. */
export function resolveSampleFiles(config: BhiveConfig, sample: string, dataDir?: string): string[] {
  const patterns = config.inputs.samples[sample];
  if (patterns === undefined) {
    const known = Object.keys(config.inputs.samples);
    throw new ConfigError(
      `sample '${sample}' is not defined under inputs.samples in ${config.path} (defined: ${known.join(', ')}).${didYouMean(sample, known)}`,
      { configFile: config.path, configKey: `inputs.samples.${sample}` },
    );
  }
  const base = dataDir ?? config.inputs.dataDir;
  const files = new Set<string>();
  for (const pattern of patterns) {
    for (const file of expandPattern(path.resolve(base, pattern))) files.add(file);
  }
  return [...files].sort();
}

/** Expand one absolute pattern; a pattern without wildcards must name an existing file. */
export function expandPattern(pattern: string): string[] {
  const dir = path.dirname(pattern);
  const name = path.basename(pattern);
  if (!/[*?[]/.test(name)) {
    if (!isFile(pattern)) throw new InputError(`input file ${pattern} does not exist; check inputs.samples in the config or the data directory (--data-dir or BHIVE_DATA)`, { file: pattern });
    return [pattern];
  }
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    throw new InputError(`data directory ${dir} does not exist or cannot be read; set --data-dir or BHIVE_DATA to the folder that holds the ROOT files`, { file: dir });
  }
  const regex = globToRegExp(name);
  const matches = entries.filter((entry) => regex.test(entry) && isFile(path.join(dir, entry))).map((entry) => path.join(dir, entry));
  if (matches.length === 0) {
    throw new InputError(`no file in ${dir} matches '${name}'; check inputs.samples in the config or the data directory (--data-dir or BHIVE_DATA)`, { file: pattern });
  }
  return matches.sort();
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Translate a file-name glob (`*`, `?`, `[...]`) into an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) {
        source += '\\[';
      } else {
        let body = glob.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        source += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else source += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
