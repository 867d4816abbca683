/**
 * The `Processor` base class: one subclass per input format turns one ROOT file into
 * selected, labelled jet columns (`ProcessedJets`). Processors are chosen by name in the
 * config (`processor: nanoaod`) through a {@link ProcessorRegistry}.
 */

import type { BhiveConfig } from '../config/types.js';
import type { ProcessedJets, ProcessFileOptions } from './jet-file.js';

/** Turns the files of one input format into jet columns. Subclasses hold no per-file state. */
export abstract class Processor {
  /** Name under which the processor is registered and chosen in the config. */
  abstract readonly name: string;
  /** One line for listings and error messages. */
  abstract readonly description: string;

  /**
   * Checks that `config` suits this processor, before any file is read.
   * @throws ConfigError naming the config key.
   */
  abstract checkConfig(config: BhiveConfig): void;

  /** Names of all branches that processing a file reads, without duplicates. */
  abstract requiredBranches(config: BhiveConfig, requireLabels: boolean): string[];

  /**
   * Reads one file and returns its selected jets in file order.
   * @throws InputError for a missing file, tree or branch, or a jet in two classes without a priority.
   */
  abstract processFile(config: BhiveConfig, file: string, options?: ProcessFileOptions): Promise<ProcessedJets>;
}
