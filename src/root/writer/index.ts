/**
 * Writing ROOT files: one TTree of flat and jagged numeric branches with zlib compression,
 * in the layout ROOT 6 writes; checked with jsroot and bhive's own reader.
 */

export { TreeWriter, writeTree } from './tree-writer.js';
export type { BranchSpec, TreeWriterOptions, TreeWriteSummary } from './tree-writer.js';
export type { ColumnValues, LeafType } from './leaf-types.js';
export type { WriterCompression } from './compression.js';
