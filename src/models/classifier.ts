/**
 * The extension point for machine-learning backends: a `Classifier` trains on a
 * dataset, reports validation metrics and predicts class probabilities. The tasks call
 * only this interface, so a new model or library plugs in by implementing it and
 * registering a factory in the model registry.
 */
import type { GroupLayout, JetArrays } from '../dataset/types.js';
import type { OptimizerName } from '../training/optimizer.js';
import type { ScheduleName } from '../training/schedules.js';

/** What a model needs to know about its inputs and outputs. */
export interface ModelInputLayout {
  numGlobalFeatures: number;
  groups: GroupLayout[];
  classes: string[];
}

export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  validationLoss: number;
  validationAccuracy: number;
  learningRate: number;
  /** Jets used in the epoch: those drawn by stochastic sampling, or all weighted jets with 'weighted_loss'. */
  numTrainJets: number;
  jetsPerSecond: number;
  seconds: number;
}

export interface TrainOptions {
  train: JetArrays;
  validation: JetArrays;
  epochs: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  seed: number;
  /** Directory for per-epoch checkpoints and the best model; it exists already. */
  outputDir: string;
  /** Number of most recent `checkpoint_epoch_NNN/` directories to keep; undefined keeps all. */
  keepCheckpoints?: number;
  onEpoch?: (metrics: EpochMetrics) => void;
  onBatch?: (batch: number, numBatches: number, loss: number) => void;
  /** Optimiser; default 'adamw'. `weightDecay` is decoupled for AdamW and an L2 term for the others. */
  optimizer?: OptimizerName;
  /** SGD momentum; default 0.9. */
  momentum?: number;
  /** Learning-rate schedule (see src/training/schedules.ts); default 'constant'. */
  schedule?: ScheduleName;
  /** Factor by which the decaying schedules lower the learning rate over the run; default 0.1. */
  lrDecayFactor?: number;
  /** Scale the gradients down when their global L2 norm exceeds this value; undefined or 0 disables clipping. */
  gradientClipNorm?: number;
  /** Stop after this many epochs without an improvement of the validation loss; 0 or undefined never stops early. */
  earlyStoppingPatience?: number;
  /** Smallest decrease of the validation loss that counts as an improvement; default 0. */
  earlyStoppingMinDelta?: number;
  /**
   * How the jet weights enter training: 'stochastic' (default) keeps each jet with probability
   * equal to its weight, redrawn every epoch; 'weighted_loss' uses every jet each epoch with the
   * cross-entropy weighted by the jet weight.
   */
  sampling?: 'stochastic' | 'weighted_loss';
  /**
   * Continue from a checkpoint in `outputDir`: 'latest' takes the newest one and starts afresh
   * when there is none; a number takes that epoch's checkpoint and fails when it is missing.
   */
  resumeFrom?: 'latest' | number;
  /**
   * Threads that compute each batch, each a share of its jets (data-parallel training);
   * default 1. Above 1, worker threads hold copies of the model, and batch normalisation
   * uses the statistics of each share, so the result depends on this number.
   */
  trainThreads?: number;
}

export interface TrainSummary {
  history: EpochMetrics[];
  bestEpoch: number;
  bestValidationLoss: number;
  /** Directory of the model with the lowest validation loss, loadable by the registry. */
  bestModelDir: string;
  /** Epoch of the checkpoint that training continued from; 0 when it started afresh. */
  resumedFromEpoch?: number;
  /** True when early stopping ended training before `epochs`. */
  stoppedEarly?: boolean;
}

export interface ValidationResult {
  loss: number;
  accuracy: number;
}

export abstract class Classifier {
  abstract readonly modelName: string;
  abstract readonly layout: ModelInputLayout;

  /** Train on `options.train`, validating on `options.validation` after each epoch. */
  abstract trainModel(options: TrainOptions): Promise<TrainSummary>;

  /** Return the weighted cross-entropy loss and accuracy on `data`. */
  abstract validateModel(data: JetArrays): Promise<ValidationResult>;

  /** Return class probabilities, float32 [jets, classes], rows summing to 1. */
  abstract predictModel(data: JetArrays): Promise<Float32Array>;

  /** Write the model to `dir` so that the registry can load it again. */
  abstract save(dir: string): Promise<void>;

  /** Number of trainable parameters. */
  abstract countParameters(): number;

  /** Describe the library and backend that compute this model, such as "tfjs 4.22.0 wasm (SIMD, ...)". */
  describeBackend(): string {
    return 'unspecified backend';
  }

  /** Release backend memory. */
  dispose(): void {}
}
