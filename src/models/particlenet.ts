/**
 * ParticleNet (Qu and Gouskos, arXiv:1902.08570): a jet tagger that treats the candidates of
 * one group as a point cloud. EdgeConv blocks update each candidate's features from its k
 * nearest neighbours. The first block finds neighbours in (Δη, Δφ) or in the normalised input
 * features, and later blocks in the features that the previous block learned. The features
 * are averaged over the real candidates, concatenated with the normalised global features and
 * passed through dense layers with dropout to one logit per class.
 *
 * Padded candidate slots never become neighbours of real candidates and never enter the
 * average. Differences from weaver-core's weaver/nn/model/ParticleNet.py: no fusion layer
 * after the blocks, the global features join the head, and the dense layers before batch
 * normalisation keep their bias. weaver-core moves padded slots far away instead of excluding
 * them, so they fill the neighbour lists of jets with fewer than k + 1 real candidates.
 */

import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors.js';
import type { GroupLayout } from '../dataset/types.js';
import type { ModelInputLayout } from './classifier.js';
import type { JsonValue, OptionReader } from './options.js';
import { EdgeConv } from './tfjs/edge-conv.js';
import type { NetworkInputs } from './tfjs/inputs.js';
import { applyInJetChunks } from './tfjs/jet-chunks.js';
import { findNeighbours } from './tfjs/knn.js';
import { BatchNorm, Dense, dropout } from './tfjs/layers.js';
import type { ForwardMode } from './tfjs/layers.js';
import { applyMask, candidateMask, maskedMean } from './tfjs/masks.js';
import type { Network } from './tfjs/network.js';
import type { ParameterStore } from './tfjs/parameters.js';

/** One EdgeConv block: neighbours per candidate and the units of its edge layers. */
export interface ConvBlockSettings {
  k: number;
  channels: number[];
}

/** Coordinates of the first block's neighbour search: two named raw features, or the normalised input features. */
export type CoordinateSettings = { kind: 'features' } | { kind: 'named'; names: [string, string]; indices: [number, number]; angleAxis?: number };

export interface ParticleNetSettings {
  group: string;
  coordinates: CoordinateSettings;
  convBlocks: ConvBlockSettings[];
  fcLayers: number[];
  dropout: number;
  /** Bound on the batch-normalised input features, in standard deviations. */
  inputClip: number;
}

/**
 * Jets per inference chunk. The default network keeps about 2 MB of intermediate tensors per
 * jet in inference, and 2048 jets at once overflowed the 4 GB wasm heap.
 */
export const particleNetInferenceChunk = 256;

/** Default `k`, as in ParticleNet's configuration in weaver-core's examples (ParticleNet-Lite uses 7). */
export const defaultParticleNetK = 16;

/** Channels of the ParticleNet-Lite blocks in weaver-core's examples. The full ParticleNet has three wider blocks. */
export const defaultParticleNetBlocks = [
  [32, 32, 32],
  [64, 64, 64],
];

export const defaultParticleNetFcLayers = [128];

/**
 * Suffix pairs, tried in order, that make two feature names of a group the default
 * coordinates. Matching ignores case, so `cpf_phirel` and `JetPFCands_phi` both count.
 */
const coordinateSuffixes: ReadonlyArray<[string, string]> = [
  ['etarel', 'phirel'],
  ['deltaeta', 'deltaphi'],
  ['deta', 'dphi'],
  ['eta', 'phi'],
];

/** Read and check ParticleNet's options for `layout`. */
export function readParticleNetSettings(layout: ModelInputLayout, reader: OptionReader): ParticleNetSettings {
  const groupNames = layout.groups.map((g) => g.name);
  if (groupNames.length === 0) {
    throw new ConfigError(`model 'particlenet' needs a candidate group, but the input layout has none; add one under 'candidates' in the config`);
  }
  const groupName = reader.string('group', groupNames[0], groupNames);
  const group = layout.groups[groupNames.indexOf(groupName)];
  if (group.maxCandidates < 2) {
    throw new ConfigError(
      `model 'particlenet' needs at least 2 candidate slots in group '${group.name}' to find neighbours, found ${group.maxCandidates}; ` +
        `raise max_candidates or choose another group with option 'group'`,
      { configKey: 'group' },
    );
  }
  const k = reader.number('k', defaultParticleNetK, { integer: true, min: 1 });
  const convBlocks = parseConvBlocks(reader.raw('convBlocks'), k, group.maxCandidates);
  const coordinates = parseCoordinates(reader.raw('coordinates'), group);
  return {
    group: groupName,
    coordinates,
    convBlocks,
    fcLayers: reader.sizes('fcLayers', defaultParticleNetFcLayers),
    dropout: reader.number('dropout', 0.1, { min: 0, max: 0.9 }),
    inputClip: reader.number('inputClip', 10, { min: 0.1 }),
  };
}

function isSizes(value: JsonValue): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number' && Number.isInteger(v) && v > 0);
}

/** Parse `convBlocks`: a list of blocks, each `[c1, c2, ...]` or `[k, [c1, c2, ...]]`. k is clipped to the slots minus one. */
function parseConvBlocks(value: JsonValue | undefined, defaultK: number, maxCandidates: number): ConvBlockSettings[] {
  const clip = (k: number): number => Math.min(k, maxCandidates - 1);
  if (value === undefined) return defaultParticleNetBlocks.map((channels) => ({ k: clip(defaultK), channels }));
  const invalid = (): ConfigError =>
    new ConfigError(
      `invalid option 'convBlocks' for model 'particlenet': expected a non-empty list of blocks, each a list of ` +
        `positive integers [c1, c2, ...] or [k, [c1, c2, ...]], such as [[16, [64, 64, 64]], [16, [128, 128, 128]]]; found ${JSON.stringify(value)}`,
      { configKey: 'convBlocks' },
    );
  if (!Array.isArray(value) || value.length === 0) throw invalid();
  return value.map((block) => {
    if (isSizes(block)) return { k: clip(defaultK), channels: block };
    if (Array.isArray(block) && block.length === 2) {
      const [k, channels] = block;
      if (typeof k === 'number' && Number.isInteger(k) && k > 0 && isSizes(channels)) return { k: clip(k), channels };
    }
    throw invalid();
  });
}

/** Parse `coordinates`: 'features', two feature names of the group, or undefined for the default. */
function parseCoordinates(value: JsonValue | undefined, group: GroupLayout): CoordinateSettings {
  const lower = group.features.map((name) => name.toLowerCase());
  const named = (first: number, second: number): CoordinateSettings => ({
    kind: 'named',
    names: [group.features[first], group.features[second]],
    indices: [first, second],
    angleAxis: lower[second].includes('phi') ? 1 : undefined,
  });
  if (value === undefined) {
    for (const [etaSuffix, phiSuffix] of coordinateSuffixes) {
      const eta = lower.findIndex((name) => name.endsWith(etaSuffix));
      const phi = lower.findIndex((name) => name.endsWith(phiSuffix));
      if (eta >= 0 && phi >= 0) return named(eta, phi);
    }
    return { kind: 'features' };
  }
  if (value === 'features') return { kind: 'features' };
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
    const first = group.features.indexOf(value[0]);
    const second = group.features.indexOf(value[1]);
    if (first >= 0 && second >= 0) return named(first, second);
  }
  throw new ConfigError(
    `invalid option 'coordinates' for model 'particlenet': expected 'features' or two feature names of group '${group.name}' ` +
      `(${group.features.join(', ')}); found ${JSON.stringify(value)}`,
    { configKey: 'coordinates' },
  );
}

/** ParticleNet with an extra entry point that takes the candidate mask from the caller. */
export interface ParticleNetNetwork extends Network {
  /** Compute logits [jets, classes] with `mask` [jets, candidates] (1 = real) in place of the pad-value mask. */
  applyWithMask(inputs: NetworkInputs, mask: tf.Tensor, mode: ForwardMode): tf.Tensor;
}

/** Build ParticleNet for `layout` with its parameters in `store`. */
export function buildParticleNet(layout: ModelInputLayout, settings: ParticleNetSettings, store: ParameterStore): ParticleNetNetwork {
  const group = layout.groups.find((g) => g.name === settings.group);
  if (group === undefined) throw new ConfigError(`model 'particlenet': the input layout has no candidate group '${settings.group}'`);
  const clip = { clip: settings.inputClip };
  const globalNorm = new BatchNorm(store, 'global/input_norm', layout.numGlobalFeatures, clip);
  const candidateNorm = new BatchNorm(store, `${group.name}/input_norm`, group.features.length, clip);

  const blocks: EdgeConv[] = [];
  let size = group.features.length;
  settings.convBlocks.forEach((block, b) => {
    const edgeConv = new EdgeConv(store, `${group.name}/edge_conv_${b}`, size, block.channels);
    blocks.push(edgeConv);
    size = edgeConv.outputSize;
  });

  size += layout.numGlobalFeatures;
  const head: Dense[] = [];
  settings.fcLayers.forEach((units, l) => {
    head.push(new Dense(store, `head/dense_${l}`, size, units, 'relu'));
    size = units;
  });
  const output = new Dense(store, 'head/output', size, layout.classes.length, 'linear');
  const coordinates = settings.coordinates;

  const applyWithMask = (inputs: NetworkInputs, mask: tf.Tensor, mode: ForwardMode): tf.Tensor => {
    const raw = inputs.groups[group.name];
    let features = applyMask(candidateNorm.apply(raw, mode), mask);
    let points =
      coordinates.kind === 'named' ? tf.gather(raw, tf.tensor1d(coordinates.indices, 'int32'), 2) : features;
    settings.convBlocks.forEach((block, b) => {
      const angleAxis = b === 0 && coordinates.kind === 'named' ? coordinates.angleAxis : undefined;
      const selection = findNeighbours(points, mask, block.k, { angleAxis });
      // Padded slots are never valid neighbours and never pooled; zeroing them also keeps
      // their values out of the next block's batch statistics.
      features = applyMask(blocks[b].apply(features, selection, mode), mask);
      points = features;
    });
    let x = tf.concat([maskedMean(features, mask), globalNorm.apply(inputs.global, mode)], 1);
    for (const layer of head) x = dropout(layer.apply(x), settings.dropout, mode);
    return output.apply(x);
  };

  const applyWithPadMask = (inputs: NetworkInputs, mode: ForwardMode): tf.Tensor =>
    applyWithMask(inputs, candidateMask(inputs.groups[group.name]), mode);

  return {
    parameters: store,
    applyWithMask,
    apply(inputs: NetworkInputs, mode: ForwardMode): tf.Tensor {
      // Training keeps every intermediate for the gradient anyway, so only inference is chunked.
      // NOTE: with the default blocks, a training batch of 1,024 NANOX jets overflowed the 4 GB
      // wasm heap and 512 used 3.9 GB. Nothing here checks the batch size.
      if (mode.training) return applyWithPadMask(inputs, mode);
      return applyInJetChunks(inputs, particleNetInferenceChunk, (chunk) => applyWithPadMask(chunk, mode));
    },
  };
}
