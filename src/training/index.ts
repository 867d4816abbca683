/**
 * The training layer: the epoch loop with stochastic sampling or a weighted loss, the
 * optimisers (Adam, AdamW, SGD with momentum, RAdam), learning-rate schedules, early
 * stopping and the checkpoint files that training resumes from. Models enter through the
 * `TrainableModel` interface; what leaves is the `TrainSummary` and the files in the output
 * directory (checkpoint_epoch_NNN/, best_model/, history.json).
 */

export { AdamW } from './adamw.js';
export type { AdamWOptions, AdamWState } from './adamw.js';
export { bestModelDirName, checkpointDirName, historyFileName, listCheckpointEpochs } from './checkpoints.js';
export type { TrainingState } from './checkpoints.js';
export { updateEarlyStopping } from './early-stopping.js';
export type { EarlyStoppingState } from './early-stopping.js';
export { optimizerNames } from './optimizer.js';
export type { OptimizedParameter, Optimizer, OptimizerName, OptimizerSlots } from './optimizer.js';
export { Adam, RAdam, Sgd, createOptimizer, parseOptimizerName } from './optimizers.js';
export type { OptimizerOptions } from './optimizers.js';
export { batchRanges, sampleEpoch } from './sampling.js';
export { decayEpochs, learningRateAt, parseScheduleName, scheduleNames } from './schedules.js';
export type { ScheduleName, ScheduleOptions } from './schedules.js';
export { trainModelLoop } from './train-loop.js';
export type { TrainableModel } from './trainable.js';
