/**
 * The second phase of dataset construction: merges finished parts in file order into the
 * dataset, with histograms, weights, the shuffle, the chunks and `manifest.json`.
 */

import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BhiveConfig } from '../config/types.js';
import { InputError } from '../errors.js';
import { Random } from '../random.js';
import { encodeChunk } from './chunk.js';
import { createHistogram, fillClassHistograms } from './histogram.js';
import type { JetLayout } from './jet-arrays.js';
import { PartReader, type PartSummary } from './parts.js';
import { processNamesOf } from './processes.js';
import { assignJetWeights, computeClassWeights, computeFlatWeights } from './reweighting.js';
import type { DatasetManifest, Histogram2D, InputFileRecord, SkippedFileRecord } from './types.js';

export interface MergeOptions {
  config: BhiveConfig;
  layout: JetLayout;
  /** Directories of the finished parts, in file order. */
  partDirs: string[];
  /** Their `part.json` contents, in the same order. */
  summaries: PartSummary[];
  /** Directory for the chunks and `manifest.json`; it must exist. */
  outputDir: string;
  seed: number;
  chunkSize: number;
  requireLabels: boolean;
  compress: boolean;
  onBadFile: 'fail' | 'skip';
  /** Called after each chunk is written, with the jets written so far and the total. */
  onMergeProgress?: (jetsWritten: number, numJets: number) => void;
}

/** Chunk file name for index `k`: chunk_00000.npz, chunk_00001.npz, ... */
export function chunkFileName(k: number): string {
  return `chunk_${String(k).padStart(5, '0')}.npz`;
}

async function writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${file}.partial`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}

/** Sums the per-file records of all parts, in file order. */
function collectRecords(config: BhiveConfig, summaries: PartSummary[]) {
  const inputs: InputFileRecord[] = [];
  const skippedFiles: SkippedFileRecord[] = [];
  const dropped: Record<string, number> = {};
  const nonFinite: NonNullable<DatasetManifest['nonFinite']> = {};
  const processes: NonNullable<DatasetManifest['processes']> = {};
  for (const process of config.processes ?? []) processes[process.name] = { weight: process.weight, files: [], numJets: 0 };
  for (const summary of summaries) {
    for (const record of summary.records) {
      if (record.skipped !== undefined) skippedFiles.push({ path: record.path, reason: record.skipped });
      if (record.input === undefined) continue;
      inputs.push(record.input);
      if (record.process !== undefined) {
        processes[record.process].files.push(record.path);
        processes[record.process].numJets += record.input.numSelected;
      }
    }
    for (const [reason, count] of Object.entries(summary.dropped)) dropped[reason] = (dropped[reason] ?? 0) + count;
    for (const [name, count] of Object.entries(summary.nonFinite)) {
      const total = (nonFinite[name] ??= { action: count.action, jetsDropped: 0, valuesReplaced: 0 });
      total.jetsDropped += count.jetsDropped;
      total.valuesReplaced += count.valuesReplaced;
    }
  }
  return { inputs, skippedFiles, dropped, nonFinite, processes };
}

/**
 * Merges the parts into a dataset in `outputDir`. The jets are concatenated in part order,
 * weighted, shuffled with `Random(seed)` and written as chunks of at most `chunkSize` jets,
 * so the result depends only on the files and their order, not on how they were grouped
 * into parts. `manifest.json` is written last; an old one is deleted first.
 * @throws InputError when every input file was skipped, or a part file is missing.
 */
export async function mergeParts(options: MergeOptions): Promise<DatasetManifest> {
  const { config, layout, outputDir, seed, chunkSize, requireLabels, onBadFile, summaries } = options;
  const classes = config.classes.map((c) => c.name);
  const records = collectRecords(config, summaries);
  if (records.inputs.length === 0) {
    const reasons = records.skippedFiles.map((f) => `${f.path}: ${f.reason}`).join('; ');
    throw new InputError(`every input file was skipped as unreadable, so the dataset would be empty: ${reasons}`);
  }

  const reader = new PartReader(options.partDirs, summaries, layout);
  try {
    const { label, pt, eta, numJets } = reader.narrow;
    const { ptBins, etaBins, referenceClass } = config.reweighting;
    let weight: Float32Array = new Float32Array(numJets);
    let histograms: Record<string, Histogram2D> = {};
    let binWeights: Record<string, number[]> | undefined;
    const classCounts: Record<string, number> = {};
    if (requireLabels) {
      histograms = fillClassHistograms(classes, ptBins, etaBins, label, pt, eta);
      binWeights = config.reweighting.method === 'flat' ? computeFlatWeights(histograms) : computeClassWeights(histograms, referenceClass ?? '');
      const perClass = classes.map((name) => (binWeights as Record<string, number[]>)[name]);
      weight = assignJetWeights(perClass, createHistogram(ptBins, etaBins), label, pt, eta);
      for (const name of classes) classCounts[name] = 0;
      for (let j = 0; j < numJets; j++) classCounts[classes[label[j]]] += 1;
    } else {
      weight.fill(1);
    }
    if (config.processes) {
      const { processWeight } = reader.narrow;
      for (let j = 0; j < numJets; j++) weight[j] *= processWeight[j];
    }

    const manifestPath = path.join(outputDir, 'manifest.json');
    await rm(manifestPath, { force: true });

    const permutation = new Random(seed).permutation(numJets);
    const chunks: DatasetManifest['chunks'] = [];
    for (let start = 0, k = 0; start < numJets; start += chunkSize, k++) {
      const name = chunkFileName(k);
      const jets = reader.gather(permutation.subarray(start, Math.min(start + chunkSize, numJets)), weight);
      const target = path.join(outputDir, name);
      await writeAtomically(target, encodeChunk(jets, layout, target, options.compress));
      chunks.push({ file: name, numJets: jets.numJets });
      options.onMergeProgress?.(start + jets.numJets, numJets);
    }

    const manifest: DatasetManifest = {
      format: 'bhive-dataset',
      version: 1,
      processor: summaries[0].processor,
      classes,
      globalFeatures: layout.globalFeatures,
      groups: layout.groups,
      ...(layout.spectators ? { spectators: layout.spectators } : {}),
      numJets,
      classCounts,
      dropped: records.dropped,
      inputs: records.inputs,
      ...(onBadFile === 'skip' ? { skippedFiles: records.skippedFiles } : {}),
      ...(config.nonFinite ? { nonFinite: records.nonFinite } : {}),
      ...(config.processes ? { processes: records.processes, processNames: processNamesOf(config) } : {}),
      chunks,
      histograms,
      ...(binWeights ? { binWeights, reweightingMethod: config.reweighting.method ?? 'reference' } : {}),
      seed,
    };
    await writeAtomically(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  } finally {
    reader.close();
  }
}
