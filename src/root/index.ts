/**
 * The ROOT layer: opening ROOT files and reading TTree branches into typed columns.
 * What crosses this boundary is `TreeInfo` and `BranchColumns` (flat typed arrays, and
 * offsets plus values for variable-length branches); jsroot objects never leave it.
 */

export { openTree, readBranches } from './jsroot-reader.js';
export type { TreeInfo, BranchColumns, FlatColumn, JaggedColumn, ReadOptions } from './jsroot-reader.js';
export { rootMessages } from './messages.js';
