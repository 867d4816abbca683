/**
 * The interface between the training loop and a tfjs model. `TfjsClassifier` implements it,
 * so the loop does not depend on the network's layers.
 */

import type * as tf from '@tensorflow/tfjs-core';
import type { JetArrays } from '../dataset/types.js';
import type { ValidationResult } from '../models/classifier.js';
import type { ForwardMode } from '../models/tfjs/layers.js';
import type { OptimizedParameter } from './optimizer.js';

export interface TrainableModel {
  readonly numClasses: number;
  /** Trainable parameters in a fixed order, with their weight-decay flags. */
  optimizedParameters(): OptimizedParameter[];
  /** Compute logits [jets, classes] for the jets at `indices` of `data`. */
  forward(data: JetArrays, indices: ArrayLike<number>, mode: ForwardMode): tf.Tensor;
  /** Check that `data` fits the model's input layout; throws an InputError otherwise. */
  checkData(data: JetArrays): void;
  validateModel(data: JetArrays): Promise<ValidationResult>;
  save(dir: string): Promise<void>;
  /** Load the weights that `save` wrote to `dir` into this model; throws when they do not fit. */
  restore(dir: string): Promise<void>;
}
