/**
 * Dataset construction: processes every input file, fills the (pT, η) histograms, assigns
 * weights, shuffles all jets together and writes them as `.npz` chunks plus `manifest.json`.
 */

import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
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
import { Random } from '../random.js';
import { encodeChunk } from './chunk.js';
import { assignProcesses, configForProcess } from './processes.js';
import { checkEdges, createHistogram, fillClassHistograms } from './histogram.js';
import { RESERVED_ARRAY_NAMES, type JetLayout } from './jet-arrays.js';
import { JetSpill } from './spill.js';
import { assignJetWeights, computeClassWeights, computeFlatWeights } from './reweighting.js';
import type { DatasetManifest, Histogram2D, InputFileRecord, JetArrays, SkippedFileRecord } from './types.js';

/** Jets per chunk when the caller gives no chunk size. */
export const DEFAULT_CHUNK_SIZE = 10000;

export interface ConstructProgress {
  file: string;
  fileIndex: number;
  numFiles: number;
  entriesDone: number;
  entriesTotal: number;
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

/** Chunk file name for index `k`: chunk_00000.npz, chunk_00001.npz, ... */
export function chunkFileName(k: number): string {
  return `chunk_${String(k).padStart(5, '0')}.npz`;
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

async function writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${file}.partial`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}

/**
 * Builds a training dataset from ROOT files and writes it to `outputDir`.
 *
 * The processor named in the config reads the files, in `numWorkers` worker threads, and
 * the jets are concatenated in file order. All selected jets are then weighted, shuffled with
 * `Random(seed)` and written as chunks of at most `chunkSize` jets, so the jets and their
 * order do not depend on the number of workers, the step size or the chunk size. Each file is written
 * under a temporary name and renamed, and `manifest.json` comes last, so a directory
 * without a manifest is incomplete. An old manifest in `outputDir` is deleted first.
 * Until the shuffle, the wide arrays of the selected jets wait in spill files under
 * `outputDir/.spill` (deleted at the end). Memory therefore contains the jets of up to
 * `numWorkers` input files and one output chunk, plus about 20 bytes per selected jet
 * (label, pT, η, weight and the permutation).
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
  const processor = resolveProcessor(config, options.processors);

  const layout: JetLayout = {
    globalFeatures: [...config.globalFeatures],
    groups: config.candidates.map((g) => ({ name: g.name, maxCandidates: g.maxCandidates, features: [...g.features] })),
    ...(config.spectators ? { spectators: [...config.spectators] } : {}),
  };
  await mkdir(outputDir, { recursive: true });
  const spill = new JetSpill(path.join(outputDir, '.spill'), layout);
  try {
    return await buildDataset(options, processor, layout, spill);
  } finally {
    spill.close();
  }
}

async function buildDataset(options: ConstructOptions, processor: Processor, layout: JetLayout, spill: JetSpill): Promise<DatasetManifest> {
  const { config, files, outputDir, seed } = options;
  const requireLabels = options.requireLabels ?? true;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const onBadFile = options.onBadFile ?? 'fail';
  const classes = config.classes.map((c) => c.name);
  const inputs: InputFileRecord[] = [];
  const skippedFiles: SkippedFileRecord[] = [];
  const dropped: Record<string, number> = {};
  const nonFinite: NonNullable<DatasetManifest['nonFinite']> = {};
  const fileProcesses = assignProcesses(config, files);
  const processes: NonNullable<DatasetManifest['processes']> = {};
  for (const process of config.processes ?? []) processes[process.name] = { weight: process.weight, files: [], numJets: 0 };
  const processWeights: Float32Array[] = [];
  const outcomes = processFilesInParallel({
    config,
    fileConfigs: fileProcesses?.map((process) => configForProcess(config, process)),
    processor,
    files,
    requireLabels,
    numWorkers: options.numWorkers ?? 1,
    stepSize: options.stepSize,
    onProgress: (fileIndex, entriesDone, entriesTotal) =>
      options.onProgress?.({ file: files[fileIndex], fileIndex, numFiles: files.length, entriesDone, entriesTotal }),
  });
  let fileIndex = -1;
  for await (const outcome of outcomes) {
    fileIndex += 1;
    const file = files[fileIndex];
    if (!outcome.ok) {
      const { error } = outcome;
      const readError = error instanceof InputError || error instanceof UnsupportedError;
      if (onBadFile !== 'skip' || !readError) throw error;
      skippedFiles.push({ path: file, reason: error.message });
      continue;
    }
    let processed = outcome.jets;
    if (config.nonFinite) {
      const { jets, counts } = applyNonFinitePolicies(processed, config.nonFinite);
      processed = jets;
      for (const [name, count] of Object.entries(counts)) {
        const total = (nonFinite[name] ??= { action: count.action, jetsDropped: 0, valuesReplaced: 0 });
        total.jetsDropped += count.jetsDropped;
        total.valuesReplaced += count.valuesReplaced;
      }
    }
    spill.append(toJetArrays(processed));
    const process = fileProcesses?.[fileIndex];
    processWeights.push(new Float32Array(processed.numJets).fill(process?.weight ?? 1));
    if (process) {
      processes[process.name].files.push(file);
      processes[process.name].numJets += processed.numJets;
    }
    // Processors fail unless the reader delivered every entry in the tree header.
    inputs.push({ path: file, tree: processed.tree, numEntries: processed.numEntries, numProcessed: processed.numEntries, numSelected: processed.numJets });
    for (const [reason, count] of Object.entries(processed.dropped)) dropped[reason] = (dropped[reason] ?? 0) + count;
  }
  if (inputs.length === 0) {
    const reasons = skippedFiles.map((f) => `${f.path}: ${f.reason}`).join('; ');
    throw new InputError(`every input file was skipped as unreadable, so the dataset would be empty: ${reasons}`);
  }
  const weight: Float32Array = new Float32Array(spill.numJets);
  const all = { ...spill.kinematics(), weight, numJets: spill.numJets };

  const { ptBins, etaBins, referenceClass } = config.reweighting;
  let histograms: Record<string, Histogram2D> = {};
  let binWeights: Record<string, number[]> | undefined;
  const classCounts: Record<string, number> = {};
  if (requireLabels) {
    histograms = fillClassHistograms(classes, ptBins, etaBins, all.label, all.pt, all.eta);
    binWeights = config.reweighting.method === 'flat' ? computeFlatWeights(histograms) : computeClassWeights(histograms, referenceClass ?? '');
    const perClass = classes.map((name) => (binWeights as Record<string, number[]>)[name]);
    all.weight = assignJetWeights(perClass, createHistogram(ptBins, etaBins), all.label, all.pt, all.eta);
    for (const name of classes) classCounts[name] = 0;
    for (let j = 0; j < all.numJets; j++) classCounts[classes[all.label[j]]] += 1;
  } else {
    all.weight.fill(1);
  }
  if (fileProcesses) {
    let j = 0;
    for (const weights of processWeights) {
      for (const w of weights) all.weight[j++] *= w;
    }
  }

  const manifestPath = path.join(outputDir, 'manifest.json');
  await rm(manifestPath, { force: true });

  const permutation = new Random(seed).permutation(all.numJets);
  const chunks: DatasetManifest['chunks'] = [];
  for (let start = 0, k = 0; start < all.numJets; start += chunkSize, k++) {
    const name = chunkFileName(k);
    const jets = spill.gather(permutation.subarray(start, Math.min(start + chunkSize, all.numJets)), all);
    const target = path.join(outputDir, name);
    await writeAtomically(target, encodeChunk(jets, layout, target, options.compress ?? true));
    chunks.push({ file: name, numJets: jets.numJets });
  }

  const manifest: DatasetManifest = {
    format: 'bhive-dataset',
    version: 1,
    processor: processor.name,
    classes,
    globalFeatures: layout.globalFeatures,
    groups: layout.groups,
    ...(layout.spectators ? { spectators: layout.spectators } : {}),
    numJets: all.numJets,
    classCounts,
    dropped,
    inputs,
    ...(onBadFile === 'skip' ? { skippedFiles } : {}),
    ...(config.nonFinite ? { nonFinite } : {}),
    ...(fileProcesses ? { processes } : {}),
    chunks,
    histograms,
    ...(binWeights ? { binWeights, reweightingMethod: config.reweighting.method ?? 'reference' } : {}),
    seed,
  };
  await writeAtomically(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
