/**
 * The dataset layer: the on-disk training dataset (shuffled `.npz` chunks plus
 * `manifest.json`), (pT, η) histograms and reweighting, and splitting jets for training.
 * It reads ROOT only through the processing layer; what crosses the boundary is
 * `JetArrays` and `DatasetManifest`.
 */

export { constructDataset, chunkFileName, DEFAULT_CHUNK_SIZE, resolveProcessor } from './construct.js';
export type { ConstructOptions, ConstructProgress } from './construct.js';
export { buildParts, readFinishedParts, datasetLayout } from './construct.js';
export type { BuildPartsOptions, FileDoneEvent } from './construct.js';
export { mergeParts } from './merge.js';
export type { MergeOptions } from './merge.js';
export { loadDataset, readManifest } from './load.js';
export { selectJets, splitJets, concatJets, findShapeProblems, RESERVED_ARRAY_NAMES } from './jet-arrays.js';
export type { JetLayout } from './jet-arrays.js';
export { encodeChunk, decodeChunk } from './chunk.js';
export { createHistogram, fillClassHistograms, findBin, binIndex, checkEdges } from './histogram.js';
export { computeBinWeights, computeClassWeights, computeFlatWeights, assignJetWeights } from './reweighting.js';
export { encodeNpy, decodeNpy, dtypeOf, shapeSize, NpyFormatError } from './npy.js';
export type { NdArray, NpyDtype, NpyData } from './npy.js';
export { encodeNpz, decodeNpz } from './npz.js';
export { writeZip, readZip, crc32, ZipFormatError } from './zip.js';
export type { ZipEntry } from './zip.js';
export type * from './types.js';
