/**
 * The processing layer: from ROOT trees to selected, labelled jet columns. A `Processor`
 * per input format (chosen by name from a `ProcessorRegistry`) applies drop categories,
 * acceptance cuts, selections and truth labels, and pads candidate groups. What crosses
 * this boundary is `ProcessedJets` (typed arrays per file) and the drop counts.
 */

export { processJetFile, requiredBranches } from './jet-file.js';
export type { ProcessedJets, ProcessFileOptions } from './jet-file.js';
export { selectEntries, failedCut, CUT_REASONS } from './selection.js';
export type { SelectionInput, EntrySelection } from './selection.js';
export { assignClass, classPriority, findFlagGroup, hasAnyFlag, labelColumns, matchesGroup, satisfies } from './labels.js';
export type { ConditionColumn, FlagColumns } from './labels.js';
export { processingMessages } from './messages.js';
export { eventMessages } from './event-messages.js';
export { Processor } from './processor.js';
export { ProcessorRegistry, type ProcessorFactory } from './registry.js';
export { DEFAULT_PROCESSOR, defaultProcessorRegistry, registerBuiltinProcessors } from './register-builtins.js';
export { PerJetProcessor } from './per-jet-processor.js';
export { DEFAULT_EVENT_STEP, EventCollectionProcessor } from './event-processor.js';
export { applyNonFinitePolicies, nonFiniteReason, type NonFiniteCount } from './non-finite.js';
export { derivedLookup, expandDerived, selectionMask } from './expressions.js';
export { processFilesInParallel, type FileOutcome, type ParallelFilesOptions } from './parallel-files.js';
