/**
 * The training dataset as bhive writes it: a directory with `manifest.json` and chunks
 * `chunk_00000.npz`, ... Every chunk holds, for its jets:
 *
 * - `global`  float32 [jets, globalFeatures]
 * - one array per candidate group, named after the group: float32 [jets, candidates, features]
 * - `label`   int32   [jets], the class index into `manifest.classes`, or -1 where unknown
 * - `weight`  float32 [jets], the sampling weight in [0, 1]
 * - `pt`      float32 [jets], jet pT in GeV
 * - `eta`     float32 [jets]
 * - `spectators` float32 [jets, spectators], only when the manifest lists spectators
 * - `process` int32 [jets], the index into `manifest.processNames`, only when the manifest lists process names
 */

/** Jets as columns: flat typed arrays in row-major order, one row per jet. */
export interface JetArrays {
  numJets: number;
  global: Float32Array;
  /** Candidate arrays keyed by group name, each [jets, maxCandidates, features]. */
  groups: Record<string, Float32Array>;
  /** Spectator values [jets, spectators], kept for comparisons and never a model input; absent without spectators. */
  spectators?: Float32Array;
  /** Physics process of each jet [jets], an index into the dataset's process names; absent without processes. */
  process?: Int32Array;
  label: Int32Array;
  weight: Float32Array;
  pt: Float32Array;
  eta: Float32Array;
}

export interface GroupLayout {
  name: string;
  maxCandidates: number;
  features: string[];
}

/** Counts and bin contents of one (pT, η) histogram, row-major [ptBin][etaBin]. */
export interface Histogram2D {
  ptEdges: number[];
  etaEdges: number[];
  counts: number[];
}

export interface InputFileRecord {
  path: string;
  tree: string;
  /** Entries of the tree according to its header. */
  numEntries: number;
  /** Entries that the reader delivered; must equal `numEntries`. */
  numProcessed: number;
  numSelected: number;
}

export interface SkippedFileRecord {
  path: string;
  /** The error message that made the file unreadable. */
  reason: string;
}

export interface ChunkRecord {
  file: string;
  numJets: number;
}

export interface DatasetManifest {
  format: 'bhive-dataset';
  version: 1;
  classes: string[];
  globalFeatures: string[];
  groups: GroupLayout[];
  /** Names of the columns of the `spectators` array; absent when the dataset has none. */
  spectators?: string[];
  /** Processor that read the input files, such as 'per_jet' or 'nanoaod'. */
  processor?: string;
  numJets: number;
  /** Jets per class after cuts and labelling. */
  classCounts: Record<string, number>;
  /** Jets removed, keyed by reason (a drop category, 'no_class', or a failed cut). */
  dropped: Record<string, number>;
  inputs: InputFileRecord[];
  /** Jets per physics process, with its files and sampling weight; absent when the config has no processes. */
  processes?: Record<string, { weight: number; files: string[]; numJets: number }>;
  /** Process names in the order of the per-jet `process` index; absent when the config has no processes. */
  processNames?: string[];
  /** What each NaN/infinity policy did, keyed by 'global' or a candidate group; absent without policies. */
  nonFinite?: Record<string, { action: 'drop' | 'replace'; jetsDropped: number; valuesReplaced: number }>;
  /** Input files skipped with `onBadFile: 'skip'`, with the reason; absent unless skipping was enabled. */
  skippedFiles?: SkippedFileRecord[];
  chunks: ChunkRecord[];
  /** (pT, η) histogram per class, keyed by class name. */
  histograms: Record<string, Histogram2D>;
  /** How `binWeights` were computed; absent in datasets written before the flat method existed. */
  reweightingMethod?: 'reference' | 'flat';
  /** Sampling weight of each (pT, η) bin per class, row-major like `histograms`; absent without labels. */
  binWeights?: Record<string, number[]>;
  seed: number;
}
