/**
 * The training layer: the epoch loop with stochastic sampling, the AdamW optimiser and the
 * checkpoint files. Models enter through the `TrainableModel` interface; what leaves is the
 * `TrainSummary` and the files in the output directory (checkpoint_epoch_NNN/, best_model/,
 * history.json).
 */

export { AdamW } from './adamw.js';
export type { AdamWOptions, AdamWState, OptimizedParameter } from './adamw.js';
export { bestModelDirName, checkpointDirName, historyFileName } from './checkpoints.js';
export type { TrainingState } from './checkpoints.js';
export { batchRanges, sampleEpoch } from './sampling.js';
export { trainModelLoop } from './train-loop.js';
export type { TrainableModel } from './trainable.js';
