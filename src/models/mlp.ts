/**
 * A multilayer perceptron on the global jet features only: input batch normalisation, dense
 * ReLU layers, one logit per class. It ignores the candidate groups, so it is small and fast,
 * which makes it the model for quick checks and tests.
 */

import type * as tf from '@tensorflow/tfjs-core';
import type { ModelInputLayout } from './classifier.js';
import type { OptionReader } from './options.js';
import type { NetworkInputs } from './tfjs/inputs.js';
import { BatchNorm, Dense, dropout } from './tfjs/layers.js';
import type { ForwardMode } from './tfjs/layers.js';
import type { Network } from './tfjs/network.js';
import type { ParameterStore } from './tfjs/parameters.js';

export interface MlpSettings {
  hiddenLayers: number[];
  dropout: number;
  /** Bound on the batch-normalised input features, in standard deviations. */
  inputClip: number;
}

export function readMlpSettings(reader: OptionReader): MlpSettings {
  return {
    hiddenLayers: reader.sizes('hiddenLayers', [64, 64]),
    dropout: reader.number('dropout', 0, { min: 0, max: 0.9 }),
    inputClip: reader.number('inputClip', 10, { min: 0.1 }),
  };
}

/** Build the MLP for `layout` with its parameters in `store`. */
export function buildMlp(layout: ModelInputLayout, settings: MlpSettings, store: ParameterStore): Network {
  const norm = new BatchNorm(store, 'global/input_norm', layout.numGlobalFeatures, { clip: settings.inputClip });
  const hidden: Dense[] = [];
  let size = layout.numGlobalFeatures;
  settings.hiddenLayers.forEach((units, k) => {
    hidden.push(new Dense(store, `dense_${k}`, size, units, 'relu'));
    size = units;
  });
  const output = new Dense(store, 'output', size, layout.classes.length, 'linear');

  return {
    parameters: store,
    apply(inputs: NetworkInputs, mode: ForwardMode): tf.Tensor {
      let x = norm.apply(inputs.global, mode);
      for (const layer of hidden) x = dropout(layer.apply(x), settings.dropout, mode);
      return output.apply(x);
    },
  };
}
