/**
 * The ROOT layer: opening ROOT files (local paths or http(s) URLs), listing keys and trees,
 * and reading TTree branches into typed columns, with baskets decompressed natively.
 * Only plain data crosses this boundary: `KeyInfo`, `Column`s of typed arrays (offsets
 * plus values for variable-length branches), `TreeInfo` and `BranchColumns`. jsroot
 * objects never leave it.
 */

export { RootFile, RootTree } from './root-file.js';
export type { BranchInfo, ColumnChunk, EntryRange, IterateOptions, OpenOptions } from './root-file.js';
export type { Column } from './column-builder.js';
export type { NumericArray } from './decode.js';
export type { Dtype, ElementType, Interpretation } from './interpretation.js';
export type { KeyInfo } from './tree-meta.js';
export type { ReadCounters } from './basket-loader.js';
export { nativeDecompressors, type Decompressors } from './compression.js';
export { chunkRanges, readInParallel } from './parallel.js';
export type { ChunkResult, ChunkTask, ParallelOptions } from './parallel.js';
export { openTree, readBranches } from './branch-columns.js';
export type { TreeInfo, BranchColumns, FlatColumn, JaggedColumn, ReadOptions } from './branch-columns.js';
export { rootMessages } from './messages.js';
