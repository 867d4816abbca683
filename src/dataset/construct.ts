/**
 * Dataset construction in two phases. `buildParts` processes groups of input files into
 * parts on disk (one batch job per group, or all in this process). `mergeParts` then fills
 * the (pT, η) histograms, assigns weights, shuffles all jets together and writes them as
 * `.npz` chunks plus `manifest.json`.
 */

import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BhiveConfig } from '../config/types.js';
import { ConfigError, InputError, UnsupportedError, didYouMean } from '../errors.js';
import {
  applyNonFinitePolicies,
  DEFAULT_PROCESSOR,
  defaultProcessorRegistry,
  processFilesInParallel,
  type ProcessedJets,
  type Processor,
  type ProcessorRegistry,
} from '../processing/index.js';
import { assignProcesses, configForProcess, processIndexOf, processNamesOf } from './processes.js';
import { checkEdges } from './histogram.js';
import { RESERVED_ARRAY_NAMES, type JetLayout } from './jet-arrays.js';
import { mergeParts } from './merge.js';
import { groupFiles, partDirName, PartWriter, readFinishedPart, type PartFileRecord, type PartSummary } from './parts.js';
import type { DatasetManifest, JetArrays } from './types.js';

export { chunkFileName } from './merge.js';

/** Jets per chunk when the caller gives no chunk size. */
export const DEFAULT_CHUNK_SIZE = 10000;

export interface ConstructProgress {
  file: string;
  fileIndex: number;
  numFiles: number;
  entriesDone: number;
  entriesTotal: number;
}

/** Reported once a file has been processed, or skipped as unreadable. */
export interface FileDoneEvent {
  file: string;
  /** Position among the files processed in this call, as in `ConstructProgress`. */
  fileIndex: number;
  numFiles: number;
  /** Entries read from the file; 0 when it was skipped. */
  numEntries: number;
  /** Jets of the file that passed the selection; 0 when it was skipped. */
  numJets: number;
}

export interface ConstructOptions {
  config: BhiveConfig;
  files: string[];
  /** Directory for the chunks and `manifest.json`; created when missing. */
  outputDir: string;
  /** Seed of the shuffle; the same inputs and seed give byte-identical chunks. */
  seed: number;
  /** Maximum jets per chunk; default `DEFAULT_CHUNK_SIZE`. */
  chunkSize?: number;
  /** False for data without truth flags: labels are -1, weights 1, and no flag branch is read. Default true. */
  requireLabels?: boolean;
  /** Deflate the chunks (like `numpy.savez_compressed`); default true. */
  compress?: boolean;
  onProgress?: (event: ConstructProgress) => void;
  /**
   * Handling of a file that cannot be read (missing, damaged, or without the tree or a
   * branch): 'fail' (default) stops with its error; 'skip' leaves it out and records the
   * reason in the manifest's `skippedFiles`. Configuration errors always stop.
   */
  onBadFile?: 'fail' | 'skip';
  /** Registry to look up `config.processor` in; default the built-in processors. */
  processors?: ProcessorRegistry;
  /** Entries per read for processors that read files in chunks (event-level formats); default theirs. */
  stepSize?: number;
  /** Worker threads that process files; default 1 (this thread). The output does not depend on it. */
  numWorkers?: number;
  onFileDone?: (event: FileDoneEvent) => void;
  /** Called after each merged chunk is written, with the jets written so far and the total. */
  onMergeProgress?: (jetsWritten: number, numJets: number) => void;
  /**
   * Directory of the parts (see `buildParts`). Finished parts found there are reused, and
   * the directory is kept for the caller to delete. Default `outputDir/.spill`, deleted at the end.
   */
  partsDir?: string;
  /** Input files per part; default all files in one part. The output does not depend on it. */
  filesPerPart?: number;
}

/**
 * Returns the processor named by `config.processor` (default 'per_jet'), after its config check.
 * @throws ConfigError for an unknown processor name, listing the registered ones.
 */
export function resolveProcessor(config: BhiveConfig, registry: ProcessorRegistry = defaultProcessorRegistry()): Processor {
  const name = config.processor ?? DEFAULT_PROCESSOR;
  if (registry.get(name) === undefined) {
    const known = registry.names();
    throw new ConfigError(`unknown processor '${name}' in ${config.path}; registered processors: ${known.join(', ')}.${didYouMean(name, known)}`, {
      configFile: config.path,
      configKey: 'processor',
    });
  }
  const processor = registry.create(name);
  processor.checkConfig(config);
  return processor;
}

function checkConfig(config: BhiveConfig, requireLabels: boolean): void {
  const names = new Set<string>();
  config.candidates.forEach((group, i) => {
    if (RESERVED_ARRAY_NAMES.includes(group.name) || names.has(group.name)) {
      const why = names.has(group.name) ? 'is used twice' : `is reserved (${RESERVED_ARRAY_NAMES.join(', ')})`;
      throw new ConfigError(`candidate group name '${group.name}' ${why}; rename the group`, {
        configFile: config.path,
        configKey: `candidates[${i}].name`,
      });
    }
    names.add(group.name);
  });
  for (const [key, edges] of [['reweighting.pt_bins', config.reweighting.ptBins], ['reweighting.eta_bins', config.reweighting.etaBins]] as const) {
    try {
      checkEdges(edges, key);
    } catch (cause) {
      throw new ConfigError((cause as Error).message, { configFile: config.path, configKey: key }, { cause });
    }
  }
  const classNames = config.classes.map((c) => c.name);
  const method = config.reweighting.method ?? 'reference';
  if (requireLabels && method === 'reference' && !classNames.includes(config.reweighting.referenceClass ?? '')) {
    throw new ConfigError(
      `reweighting.reference_class '${config.reweighting.referenceClass}' is not one of the classes ${classNames.join(', ')}`,
      { configFile: config.path, configKey: 'reweighting.reference_class' },
    );
  }
}

function toJetArrays(processed: ProcessedJets): JetArrays {
  return {
    numJets: processed.numJets,
    global: processed.global,
    groups: processed.groups,
    ...(processed.spectators ? { spectators: processed.spectators } : {}),
    label: processed.label,
    weight: new Float32Array(processed.numJets),
    pt: processed.pt,
    eta: processed.eta,
  };
}

/** Returns the array layout of the dataset that `config` describes. */
export function datasetLayout(config: BhiveConfig): JetLayout {
  return {
    globalFeatures: [...config.globalFeatures],
    groups: config.candidates.map((g) => ({ name: g.name, maxCandidates: g.maxCandidates, features: [...g.features] })),
    ...(config.spectators ? { spectators: [...config.spectators] } : {}),
    ...(config.processes ? { processes: processNamesOf(config) } : {}),
  };
}

export type BuildPartsOptions = Pick<
  ConstructOptions,
  'config' | 'files' | 'requireLabels' | 'onBadFile' | 'processors' | 'stepSize' | 'numWorkers' | 'onProgress' | 'onFileDone'
> & {
  /** Directory with one subdirectory per part (`part-00000`, ...), created when missing. */
  partsDir: string;
  /** Input files per part. Part k contains files [k * filesPerPart, (k + 1) * filesPerPart). */
  filesPerPart: number;
  /** Indices of the parts to build; default every part. */
  parts?: number[];
};

/** Per-part totals while its files are processed. */
interface PartState {
  writer: PartWriter;
  records: PartFileRecord[];
  dropped: Record<string, number>;
  nonFinite: PartSummary['nonFinite'];
}

/**
 * Processes the input files of the requested parts into part directories under `partsDir`
 * (the first phase of dataset construction). A part that is already finished, from the same
 * files, is kept as it is. The files of all parts to build go through `numWorkers` worker
 * threads together, in file order. Returns the indices of the parts built by this call.
 * @throws InputError for unreadable files (unless `onBadFile` is 'skip'), a file that matches
 *   no process, or a jet in two classes; ConfigError for an invalid config.
 */
export async function buildParts(options: BuildPartsOptions): Promise<number[]> {
  const { config, files, partsDir } = options;
  const requireLabels = options.requireLabels ?? true;
  const onBadFile = options.onBadFile ?? 'fail';
  if (files.length === 0) throw new InputError('no input files were given for the dataset construction');
  checkConfig(config, requireLabels);
  const processor = resolveProcessor(config, options.processors);
  const layout = datasetLayout(config);
  const groups = groupFiles(files, options.filesPerPart);
  const fileProcesses = assignProcesses(config, files);
  for (const k of options.parts ?? []) {
    if (!Number.isInteger(k) || k < 0 || k >= groups.length) throw new RangeError(`part ${k} does not exist; there are ${groups.length} parts`);
  }
  const pending = (options.parts ?? groups.map((_, k) => k)).filter((k) => readFinishedPart(path.join(partsDir, partDirName(k)), groups[k]) === undefined);
  if (pending.length === 0) return [];
  await mkdir(partsDir, { recursive: true });

  // The files to process, with their index in `files` and their part.
  const todo: Array<{ file: string; index: number; part: number }> = [];
  for (const k of pending) groups[k].forEach((file, i) => todo.push({ file, index: k * options.filesPerPart + i, part: k }));
  const outcomes = processFilesInParallel({
    config,
    fileConfigs: fileProcesses ? todo.map((t) => configForProcess(config, fileProcesses[t.index])) : undefined,
    processor,
    files: todo.map((t) => t.file),
    requireLabels,
    numWorkers: options.numWorkers ?? 1,
    stepSize: options.stepSize,
    onProgress: (i, entriesDone, entriesTotal) =>
      options.onProgress?.({ file: todo[i].file, fileIndex: i, numFiles: todo.length, entriesDone, entriesTotal }),
  });

  let state: PartState | undefined;
  let i = -1;
  try {
    for await (const outcome of outcomes) {
      i += 1;
      const { file, index, part } = todo[i];
      state ??= { writer: new PartWriter(path.join(partsDir, partDirName(part)), layout, config.processes !== undefined), records: [], dropped: {}, nonFinite: {} };
      const process = fileProcesses?.[index];
      let numEntries = 0;
      let numJets = 0;
      if (!outcome.ok) {
        const { error } = outcome;
        const readError = error instanceof InputError || error instanceof UnsupportedError;
        if (onBadFile !== 'skip' || !readError) throw error;
        state.records.push({ path: file, ...(process ? { process: process.name } : {}), skipped: error.message });
      } else {
        let processed = outcome.jets;
        if (config.nonFinite) {
          const { jets, counts } = applyNonFinitePolicies(processed, config.nonFinite);
          processed = jets;
          for (const [name, count] of Object.entries(counts)) {
            const total = (state.nonFinite[name] ??= { action: count.action, jetsDropped: 0, valuesReplaced: 0 });
            total.jetsDropped += count.jetsDropped;
            total.valuesReplaced += count.valuesReplaced;
          }
        }
        state.writer.append({ ...toJetArrays(processed), ...processIndexOf(config, process, processed.numJets) }, process?.weight ?? 1);
        // Processors fail unless the reader delivered every entry in the tree header.
        const input = { path: file, tree: processed.tree, numEntries: processed.numEntries, numProcessed: processed.numEntries, numSelected: processed.numJets };
        state.records.push({ path: file, ...(process ? { process: process.name } : {}), input });
        for (const [reason, count] of Object.entries(processed.dropped)) state.dropped[reason] = (state.dropped[reason] ?? 0) + count;
        numEntries = processed.numEntries;
        numJets = processed.numJets;
      }
      options.onFileDone?.({ file, fileIndex: i, numFiles: todo.length, numEntries, numJets });
      if (todo[i + 1]?.part !== part) {
        state.writer.finish({ processor: processor.name, files: groups[part], records: state.records, dropped: state.dropped, nonFinite: state.nonFinite });
        state = undefined;
      }
    }
  } finally {
    state?.writer.abort();
  }
  return pending;
}

/**
 * Returns the directories and summaries of all parts of `files` under `partsDir`.
 * @throws InputError listing the parts that are missing or were built from other files.
 */
export function readFinishedParts(partsDir: string, files: string[], filesPerPart: number): { dirs: string[]; summaries: PartSummary[] } {
  const groups = groupFiles(files, filesPerPart);
  const dirs = groups.map((_, k) => path.join(partsDir, partDirName(k)));
  const summaries = groups.map((group, k) => readFinishedPart(dirs[k], group));
  const missing = dirs.filter((_, k) => summaries[k] === undefined);
  if (missing.length > 0) {
    throw new InputError(`dataset parts ${missing.map((dir) => path.basename(dir)).join(', ')} in ${partsDir} are missing or unfinished; build them before merging`, {
      file: partsDir,
    });
  }
  return { dirs, summaries: summaries as PartSummary[] };
}

/**
 * Builds a training dataset from ROOT files and writes it to `outputDir`.
 *
 * The processor named in the config reads the files, in `numWorkers` worker threads, into
 * parts of `filesPerPart` files (`buildParts`). `mergeParts` then concatenates the parts in
 * file order, weights all selected jets, shuffles them with `Random(seed)` and writes chunks
 * of at most `chunkSize` jets. The jets and their order therefore do not depend on the
 * number of workers, the step size, the chunk size or the grouping into parts. Each file is
 * written under a temporary name and renamed, and `manifest.json` comes last, so a directory
 * without a manifest is incomplete. An old manifest in `outputDir` is deleted first.
 * Until the shuffle, the wide arrays of the selected jets wait in the part files. Memory
 * therefore contains the jets of up to `numWorkers` input files and one output chunk, plus
 * about 24 bytes per selected jet (label, pT, η, process weight, weight and the
 * permutation; 28 with processes).
 * NOTE: that per-jet remainder still grows with the dataset, and a file's jets are held whole.
 * @throws InputError for missing files, trees or branches, or a jet in two classes;
 *   ConfigError for invalid group names, binning or reference class.
 */
export async function constructDataset(options: ConstructOptions): Promise<DatasetManifest> {
  const { config, files, outputDir } = options;
  const requireLabels = options.requireLabels ?? true;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunk size must be a positive integer; got ${chunkSize}`);
  if (files.length === 0) throw new InputError('no input files were given for the dataset construction');
  checkConfig(config, requireLabels);
  resolveProcessor(config, options.processors);

  await mkdir(outputDir, { recursive: true });
  const partsDir = options.partsDir ?? path.join(outputDir, '.spill');
  const filesPerPart = options.filesPerPart ?? files.length;
  try {
    await buildParts({ ...options, partsDir, filesPerPart });
    const { dirs, summaries } = readFinishedParts(partsDir, files, filesPerPart);
    return await mergeParts({
      config,
      layout: datasetLayout(config),
      partDirs: dirs,
      summaries,
      outputDir,
      seed: options.seed,
      chunkSize,
      requireLabels,
      compress: options.compress ?? true,
      onBadFile: options.onBadFile ?? 'fail',
      onMergeProgress: options.onMergeProgress,
    });
  } finally {
    if (options.partsDir === undefined) await rm(partsDir, { recursive: true, force: true });
  }
}
