/**
 * DeepJet (CMS, arXiv:2008.10519): a jet-flavour tagger on global jet features and three
 * padded candidate collections (charged particles, neutral particles, secondary vertices).
 *
 * Each group gets input batch normalisation and a per-candidate stack of dense layers. These
 * are the 1×1 convolutions of the original, written as dense layers on the last axis because
 * tfjs 4.22 has no Conv1D gradient on wasm. An LSTM then reads the candidates backwards, so
 * the first, highest-ranked candidate is read last. The final LSTM states and the normalised
 * global features are concatenated and passed through dense layers to one logit per class.
 */

import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors.js';
import type { ModelInputLayout } from './classifier.js';
import type { JsonValue, OptionReader } from './options.js';
import type { NetworkInputs } from './tfjs/inputs.js';
import { BatchNorm, Dense, dropout, Lstm } from './tfjs/layers.js';
import type { ForwardMode } from './tfjs/layers.js';
import type { Network } from './tfjs/network.js';
import type { ParameterStore } from './tfjs/parameters.js';

/** Layer sizes of one candidate group. */
export interface GroupSettings {
  /** Units of the per-candidate dense layers, in order. */
  dense: number[];
  lstmUnits: number;
}

/**
 * DeepJet's settings for the charged, neutral and vertex groups, used for the first three
 * groups of the layout in that order unless the `groups` option names the group.
 */
export const deepJetGroupDefaults: readonly GroupSettings[] = [
  { dense: [64, 32, 32, 8], lstmUnits: 150 },
  { dense: [32, 16, 4], lstmUnits: 50 },
  { dense: [64, 32, 32, 8], lstmUnits: 50 },
];

export interface DeepJetSettings {
  groups: Record<string, GroupSettings>;
  /** Units of the dense layers after the concatenation, before the output layer. */
  denseLayers: number[];
  dropout: number;
  /** Bound on the batch-normalised input features, in standard deviations. */
  inputClip: number;
}

/**
 * Dense 200 and then seven dense 100, as in the original. Dropping four of the 100s saves
 * little: about 2% of an epoch on the NANOX sample, where the LSTMs dominate.
 */
export const defaultDeepJetDenseLayers = [200, 100, 100, 100, 100, 100, 100, 100];

/** Read and check DeepJet's options for `layout`. */
export function readDeepJetSettings(layout: ModelInputLayout, reader: OptionReader): DeepJetSettings {
  const denseLayers = reader.sizes('denseLayers', defaultDeepJetDenseLayers);
  const dropoutRate = reader.number('dropout', 0.1, { min: 0, max: 0.9 });
  const inputClip = reader.number('inputClip', 10, { min: 0.1 });
  const groupOption = reader.object('groups') ?? {};

  for (const name of Object.keys(groupOption)) {
    if (!layout.groups.some((g) => g.name === name)) {
      throw new ConfigError(
        `option 'groups' of model 'deepjet' names the group '${name}', which the input layout does not have ` +
          `(groups: ${layout.groups.map((g) => g.name).join(', ')})`,
        { configKey: `groups.${name}` },
      );
    }
  }
  const groups: Record<string, GroupSettings> = {};
  layout.groups.forEach((group, position) => {
    const given = groupOption[group.name];
    const fallback = deepJetGroupDefaults[position];
    if (given === undefined) {
      if (fallback === undefined) {
        throw new ConfigError(
          `model 'deepjet' has default layer sizes for three candidate groups; set option 'groups.${group.name}' ` +
            `to { "dense": [...], "lstmUnits": n } for the group '${group.name}'`,
          { configKey: `groups.${group.name}` },
        );
      }
      groups[group.name] = fallback;
    } else {
      groups[group.name] = parseGroupSettings(group.name, given);
    }
  });
  return { groups, denseLayers, dropout: dropoutRate, inputClip };
}

function parseGroupSettings(name: string, value: JsonValue): GroupSettings {
  const isSizes = (v: JsonValue | undefined): v is number[] =>
    Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x > 0);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const dense = value.dense;
    const lstmUnits = value.lstmUnits;
    const keys = Object.keys(value).filter((k) => k !== 'dense' && k !== 'lstmUnits');
    if (isSizes(dense) && typeof lstmUnits === 'number' && Number.isInteger(lstmUnits) && lstmUnits > 0 && keys.length === 0) {
      return { dense, lstmUnits };
    }
  }
  throw new ConfigError(
    `invalid option 'groups.${name}' for model 'deepjet': expected { "dense": [positive integers], "lstmUnits": positive integer }, ` +
      `found ${JSON.stringify(value)}`,
    { configKey: `groups.${name}` },
  );
}

interface GroupBranch {
  name: string;
  norm: BatchNorm;
  dense: Dense[];
  lstm: Lstm;
}

/** Build the DeepJet network for `layout` with its parameters in `store`. */
export function buildDeepJet(layout: ModelInputLayout, settings: DeepJetSettings, store: ParameterStore): Network {
  const clip = { clip: settings.inputClip };
  const globalNorm = new BatchNorm(store, 'global/input_norm', layout.numGlobalFeatures, clip);

  const branches: GroupBranch[] = layout.groups.map((group) => {
    const groupSettings = settings.groups[group.name];
    const norm = new BatchNorm(store, `${group.name}/input_norm`, group.features.length, clip);
    const dense: Dense[] = [];
    let size = group.features.length;
    groupSettings.dense.forEach((units, k) => {
      dense.push(new Dense(store, `${group.name}/dense_${k}`, size, units, 'relu'));
      size = units;
    });
    const lstm = new Lstm(store, `${group.name}/lstm`, size, groupSettings.lstmUnits);
    return { name: group.name, norm, dense, lstm };
  });

  let size = layout.numGlobalFeatures + branches.reduce((sum, b) => sum + b.lstm.units, 0);
  const head: Dense[] = [];
  settings.denseLayers.forEach((units, k) => {
    head.push(new Dense(store, `head/dense_${k}`, size, units, 'relu'));
    size = units;
  });
  const output = new Dense(store, 'head/output', size, layout.classes.length, 'linear');

  return {
    parameters: store,
    apply(inputs: NetworkInputs, mode: ForwardMode): tf.Tensor {
      const features: tf.Tensor[] = [globalNorm.apply(inputs.global, mode)];
      for (const branch of branches) {
        let x = branch.norm.apply(inputs.groups[branch.name], mode);
        for (const layer of branch.dense) x = dropout(layer.apply(x), settings.dropout, mode);
        features.push(branch.lstm.apply(x, true));
      }
      let x = tf.concat(features, 1);
      for (const layer of head) x = dropout(layer.apply(x), settings.dropout, mode);
      return output.apply(x);
    },
  };
}
