/**
 * The processing layer: from ROOT trees to selected, labelled jet columns. It applies drop
 * categories, acceptance cuts and truth labels, and pads candidate groups. What crosses
 * this boundary is `ProcessedJets` (typed arrays per file) and the drop counts.
 */

export { processJetFile, requiredBranches } from './jet-file.js';
export type { ProcessedJets, ProcessFileOptions } from './jet-file.js';
export { selectEntries, failedCut, CUT_REASONS } from './selection.js';
export type { SelectionInput, EntrySelection } from './selection.js';
export { assignClass, findFlagGroup, hasAnyFlag } from './labels.js';
export type { FlagColumns } from './labels.js';
export { processingMessages } from './messages.js';
