/**
 * The extension point for machine-learning backends: a `Classifier` trains on a
 * dataset, reports validation metrics and predicts class probabilities. The tasks call
 * only this interface, so a new model or library plugs in by implementing it and
 * registering a factory in the model registry.
 */
import type { GroupLayout, JetArrays } from '../dataset/types.js';

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
  /** Jets used in the epoch after stochastic sampling. */
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
}

export interface TrainSummary {
  history: EpochMetrics[];
  bestEpoch: number;
  bestValidationLoss: number;
  /** Directory of the model with the lowest validation loss, loadable by the registry. */
  bestModelDir: string;
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

  /** Release backend memory. */
  dispose(): void {}
}
