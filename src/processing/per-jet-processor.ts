/** The `per_jet` processor: trees with one jet per entry and jagged candidate branches (NANOX, DeepNTuples). */

import type { BhiveConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { processJetFile, requiredBranches, type ProcessedJets, type ProcessFileOptions } from './jet-file.js';
import { Processor } from './processor.js';

/** Reads per-jet trees; each candidate group needs a `counter`. */
export class PerJetProcessor extends Processor {
  readonly name = 'per_jet';
  readonly description = 'one jet per tree entry, candidates in jagged branches sized by counter branches (NANOX, DeepNTuples)';

  checkConfig(config: BhiveConfig): void {
    config.candidates.forEach((group, i) => {
      if (group.counter === undefined || group.match !== undefined || group.link !== undefined) {
        throw new ConfigError(
          `candidate group '${group.name}' needs a counter branch and no match or link, because processor '${this.name}' reads one jet per entry (in ${config.path})`,
          { configFile: config.path, configKey: `candidates[${i}]` },
        );
      }
    });
  }

  requiredBranches(config: BhiveConfig, requireLabels: boolean): string[] {
    return requiredBranches(config, requireLabels);
  }

  processFile(config: BhiveConfig, file: string, options: ProcessFileOptions = {}): Promise<ProcessedJets> {
    return processJetFile(config, file, options);
  }
}
