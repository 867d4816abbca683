/**
 * The interface between the training loop and a tfjs model. `TfjsClassifier` implements it,
 * so the loop does not depend on the network's layers.
 */

import type * as tf from '@tensorflow/tfjs-core';
import type { GroupLayout, JetArrays } from '../dataset/types.js';
import type { ValidationResult } from '../models/classifier.js';
import type { ForwardMode } from '../models/tfjs/layers.js';
import type { OptimizedParameter } from './optimizer.js';
import type { ReplicaSpec } from './replicas/messages.js';

export interface TrainableModel {
  readonly numClasses: number;
  readonly numGlobalFeatures: number;
  /** The candidate groups of the input layout, in input order. */
  inputGroups(): GroupLayout[];
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
  /** Return the description from which a worker thread builds a copy for data-parallel training; absent when the model cannot be copied. */
  replicaSpec?(): ReplicaSpec;
  /** Values of every parameter, trainable or not, in the network's parameter order. */
  parameterArrays(): Float32Array[];
  /** Values of the non-trainable parameters (batch-normalisation moving averages), in parameter order. */
  nonTrainableArrays(): Float32Array[];
  /** Overwrite the non-trainable parameters with `values`, in the order of `nonTrainableArrays`. */
  assignNonTrainableArrays(values: Float32Array[]): void;
}
