/**
 * A network: parameters plus a forward function from input tensors to logits. Model
 * definitions (deepjet.ts, mlp.ts) build networks; `TfjsClassifier` trains and runs them.
 */

import type * as tf from '@tensorflow/tfjs-core';
import type { NetworkInputs } from './inputs.js';
import type { ForwardMode } from './layers.js';
import type { ParameterStore } from './parameters.js';

export interface Network {
  readonly parameters: ParameterStore;
  /** Compute logits [jets, classes] (before the softmax). */
  apply(inputs: NetworkInputs, mode: ForwardMode): tf.Tensor;
}
