/**
 * Deep Sets (Zaheer et al., arXiv:1703.06114): a per-candidate network Φ and a permutation-
 * invariant sum or mean over the real candidates of each group. A jet network F reads the
 * pooled features of every group, concatenated with the normalised global features, and
 * returns one logit per class. Padded candidate slots (all features 0) never enter the pool.
 * It is small and has no neighbour search, which suits fast trigger-style taggers.
 */

import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors.js';
import type { ModelInputLayout } from './classifier.js';
import type { OptionReader } from './options.js';
import type { NetworkInputs } from './tfjs/inputs.js';
import { BatchNorm, Dense, dropout } from './tfjs/layers.js';
import type { ForwardMode } from './tfjs/layers.js';
import { candidateMask, maskedPool, poolingNames } from './tfjs/masks.js';
import type { PoolingName } from './tfjs/masks.js';
import type { Network } from './tfjs/network.js';
import type { ParameterStore } from './tfjs/parameters.js';

export interface DeepSetsSettings {
  /** Candidate groups to use, in layout order. */
  groups: string[];
  /** Units of the per-candidate dense layers Φ; each group gets its own Φ of these sizes. */
  candidateLayers: number[];
  /** Units of the jet-level dense layers F before the output layer. */
  jetLayers: number[];
  pooling: PoolingName;
  dropout: number;
  /** Bound on the batch-normalised input features, in standard deviations. */
  inputClip: number;
}

/** Read and check the DeepSets options for `layout`. */
export function readDeepSetsSettings(layout: ModelInputLayout, reader: OptionReader): DeepSetsSettings {
  const allGroups = layout.groups.map((g) => g.name);
  const chosen = allGroups.length === 0 ? [] : reader.strings('groups', allGroups, allGroups);
  const candidateLayers = reader.sizes('candidateLayers', [64, 64, 64]);
  if (candidateLayers.length === 0) {
    throw new ConfigError(`invalid option 'candidateLayers' for model 'deepsets': expected at least one layer size, found []`, {
      configKey: 'candidateLayers',
    });
  }
  return {
    groups: allGroups.filter((name) => chosen.includes(name)),
    candidateLayers,
    jetLayers: reader.sizes('jetLayers', [64, 64]),
    pooling: reader.string('pooling', 'sum', poolingNames),
    dropout: reader.number('dropout', 0.1, { min: 0, max: 0.9 }),
    inputClip: reader.number('inputClip', 10, { min: 0.1 }),
  };
}

interface SetBranch {
  name: string;
  norm: BatchNorm;
  dense: Dense[];
}

/** DeepSets with an extra entry point that takes the candidate masks from the caller. */
export interface DeepSetsNetwork extends Network {
  /** Compute logits [jets, classes] with `masks` [jets, candidates] per group (1 = real) in place of the pad-value masks. */
  applyWithMasks(inputs: NetworkInputs, masks: Record<string, tf.Tensor>, mode: ForwardMode): tf.Tensor;
}

/** Build DeepSets for `layout` with its parameters in `store`. */
export function buildDeepSets(layout: ModelInputLayout, settings: DeepSetsSettings, store: ParameterStore): DeepSetsNetwork {
  const clip = { clip: settings.inputClip };
  const globalNorm = new BatchNorm(store, 'global/input_norm', layout.numGlobalFeatures, clip);

  const branches: SetBranch[] = layout.groups
    .filter((group) => settings.groups.includes(group.name))
    .map((group) => {
      const norm = new BatchNorm(store, `${group.name}/input_norm`, group.features.length, clip);
      const dense: Dense[] = [];
      let size = group.features.length;
      settings.candidateLayers.forEach((units, l) => {
        dense.push(new Dense(store, `${group.name}/candidate_dense_${l}`, size, units, 'relu'));
        size = units;
      });
      return { name: group.name, norm, dense };
    });

  const pooledSize = settings.candidateLayers[settings.candidateLayers.length - 1];
  let size = layout.numGlobalFeatures + branches.length * pooledSize;
  const jetDense: Dense[] = [];
  settings.jetLayers.forEach((units, l) => {
    jetDense.push(new Dense(store, `jet/dense_${l}`, size, units, 'relu'));
    size = units;
  });
  const output = new Dense(store, 'jet/output', size, layout.classes.length, 'linear');

  const applyWithMasks = (inputs: NetworkInputs, masks: Record<string, tf.Tensor>, mode: ForwardMode): tf.Tensor => {
    const features: tf.Tensor[] = [globalNorm.apply(inputs.global, mode)];
    for (const branch of branches) {
      let x = branch.norm.apply(inputs.groups[branch.name], mode);
      for (const layer of branch.dense) x = dropout(layer.apply(x), settings.dropout, mode);
      features.push(maskedPool(x, masks[branch.name], settings.pooling));
    }
    let x = tf.concat(features, 1);
    for (const layer of jetDense) x = dropout(layer.apply(x), settings.dropout, mode);
    return output.apply(x);
  };

  return {
    parameters: store,
    applyWithMasks,
    apply(inputs: NetworkInputs, mode: ForwardMode): tf.Tensor {
      const masks: Record<string, tf.Tensor> = {};
      for (const branch of branches) masks[branch.name] = candidateMask(inputs.groups[branch.name]);
      return applyWithMasks(inputs, masks, mode);
    },
  };
}
