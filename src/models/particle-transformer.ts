/**
 * ParticleTransformer, ParT (Qu, Li, Qian, arXiv:2202.03772): a transformer over the jet's
 * candidates whose attention logits carry a bias computed from each pair's four-vectors.
 *
 * 1. Each candidate group gets masked input normalisation and its own embedding (layer norm,
 *    dense, GELU per layer) into tokens of one dimension. The groups' tokens are concatenated
 *    into one sequence [jets, candidates, dim].
 * 2. The pairwise features (ln kT, ln z, ln Δ, ln m²) of every candidate pair go through
 *    masked normalisation and a small per-pair network to one attention bias per head,
 *    [jets, heads, candidates, candidates], shared by all particle attention blocks.
 * 3. Particle attention blocks: x += LN(MHA(LN(x), bias, mask)); x += W₂·LN(GELU(W₁·LN(x))).
 * 4. Class attention blocks: a learned class token attends to itself and the candidates,
 *    with the same residual and feed-forward structure and no pair bias.
 * 5. The class token, layer-normalised, is concatenated with the normalised global features
 *    and passed through dense ReLU layers to one logit per class.
 *
 * Padded candidates (pT ≤ 0, or a non-finite four-vector) get a logit of −1e9 as keys, so
 * no token attends to them, and their tokens are reset to 0 after every block. Changing the
 * features of a padded candidate therefore changes no output.
 */

import * as tf from '@tensorflow/tfjs-core';
import type { ModelInputLayout } from './classifier.js';
import type { ParticleTransformerSettings } from './particle-transformer-options.js';
import { keyMaskLogits, MultiHeadAttention } from './tfjs/attention.js';
import { gelu } from './tfjs/gelu.js';
import type { NetworkInputs } from './tfjs/inputs.js';
import { BatchNorm, Dense, dropout } from './tfjs/layers.js';
import type { ForwardMode } from './tfjs/layers.js';
import { LayerNorm } from './tfjs/layer-norm.js';
import { MaskedBatchNorm } from './tfjs/masked-batch-norm.js';
import type { Network } from './tfjs/network.js';
import { candidateMask, computePairFeatures, gatherFourVectors, numPairFeatures } from './tfjs/pair-features.js';
import type { ParameterStore } from './tfjs/parameters.js';

export { readParticleTransformerSettings } from './particle-transformer-options.js';

/** Layer norm → dense → GELU for each size, after masked input normalisation. */
class Embedding {
  private readonly inputNorm: MaskedBatchNorm;
  private readonly norms: LayerNorm[] = [];
  private readonly layers: Dense[] = [];

  constructor(store: ParameterStore, name: string, inputSize: number, sizes: number[], clip?: number) {
    this.inputNorm = new MaskedBatchNorm(store, `${name}/input_norm`, inputSize, { clip });
    let size = inputSize;
    sizes.forEach((units, k) => {
      this.norms.push(new LayerNorm(store, `${name}/norm_${k}`, size));
      this.layers.push(new Dense(store, `${name}/dense_${k}`, size, units, 'linear'));
      size = units;
    });
  }

  /** [..., inputSize] with mask [..., 1] → [..., last size]; padded entries are 0. */
  apply(x: tf.Tensor, mask: tf.Tensor, mode: ForwardMode): tf.Tensor {
    let y = this.inputNorm.apply(x, mask, mode);
    this.layers.forEach((layer, k) => {
      y = gelu(layer.apply(this.norms[k].apply(y)));
    });
    return tf.mul(y, mask);
  }
}

/** The feed-forward half of an attention block: W₂·LN(GELU(W₁·LN(x))). */
class FeedForward {
  private readonly inputNorm: LayerNorm;
  private readonly hidden: Dense;
  private readonly hiddenNorm: LayerNorm;
  private readonly output: Dense;

  constructor(store: ParameterStore, name: string, dim: number, hiddenDim: number) {
    this.inputNorm = new LayerNorm(store, `${name}/norm_in`, dim);
    this.hidden = new Dense(store, `${name}/dense_1`, dim, hiddenDim, 'linear');
    this.hiddenNorm = new LayerNorm(store, `${name}/norm_hidden`, hiddenDim);
    this.output = new Dense(store, `${name}/dense_2`, hiddenDim, dim, 'linear');
  }

  apply(x: tf.Tensor, rate: number, mode: ForwardMode): tf.Tensor {
    const hidden = dropout(gelu(this.hidden.apply(this.inputNorm.apply(x))), rate, mode);
    return this.output.apply(this.hiddenNorm.apply(hidden));
  }
}

/** One attention block: attention with pre- and post-normalisation, then the feed-forward network, each with a residual. */
class AttentionBlock {
  private readonly preNorm: LayerNorm;
  private readonly attention: MultiHeadAttention;
  private readonly postNorm: LayerNorm;
  private readonly feedForward: FeedForward;

  constructor(store: ParameterStore, name: string, dim: number, numHeads: number, feedForwardDim: number) {
    this.preNorm = new LayerNorm(store, `${name}/norm_pre`, dim);
    this.attention = new MultiHeadAttention(store, `${name}/attention`, dim, numHeads);
    this.postNorm = new LayerNorm(store, `${name}/norm_post`, dim);
    this.feedForward = new FeedForward(store, `${name}/feed_forward`, dim, feedForwardDim);
  }

  /** Particle attention: every token [jets, candidates, dim] attends to the real candidates. */
  applyParticle(x: tf.Tensor, bias: tf.Tensor, keyMask: tf.Tensor, rate: number, mode: ForwardMode): tf.Tensor {
    const normed = this.preNorm.apply(x);
    const { output } = this.attention.apply({ query: normed, keyValue: normed, bias, keyMask });
    return this.residualFeedForward(x, output, rate, mode);
  }

  /** Class attention: the class token [jets, 1, dim] attends to itself and the real candidates [jets, candidates, dim]. */
  applyClass(classToken: tf.Tensor, particles: tf.Tensor, keyMask: tf.Tensor, rate: number, mode: ForwardMode): tf.Tensor {
    const normed = this.preNorm.apply(tf.concat([classToken, particles], 1));
    const query = tf.slice(normed, [0, 0, 0], [-1, 1, -1]);
    const { output } = this.attention.apply({ query, keyValue: normed, keyMask });
    return this.residualFeedForward(classToken, output, rate, mode);
  }

  private residualFeedForward(x: tf.Tensor, attended: tf.Tensor, rate: number, mode: ForwardMode): tf.Tensor {
    const afterAttention = tf.add(x, dropout(this.postNorm.apply(attended), rate, mode));
    return tf.add(afterAttention, dropout(this.feedForward.apply(afterAttention, rate, mode), rate, mode));
  }
}

/** The per-pair network: masked normalisation, dense + GELU layers, and a dense layer to one value per head. */
class PairEmbedding {
  private readonly embedding: Embedding;
  private readonly output: Dense;

  constructor(store: ParameterStore, name: string, sizes: number[], numHeads: number) {
    this.embedding = new Embedding(store, name, numPairFeatures, sizes);
    this.output = new Dense(store, `${name}/output`, sizes.length > 0 ? sizes[sizes.length - 1] : numPairFeatures, numHeads, 'linear');
  }

  /** Pair features [jets, n, n, 4] with pair mask [jets, n, n, 1] → bias [jets, heads, n, n]. */
  apply(features: tf.Tensor, pairMask: tf.Tensor, mode: ForwardMode): tf.Tensor {
    const perPair = tf.mul(this.output.apply(this.embedding.apply(features, pairMask, mode)), pairMask);
    return tf.transpose(perPair, [0, 3, 1, 2]);
  }
}

/** Total number of candidate slots in the token sequence. */
function sequenceLength(layout: ModelInputLayout, groups: string[]): number {
  return groups.reduce((sum, name) => sum + (layout.groups.find((g) => g.name === name)?.maxCandidates ?? 0), 0);
}

/** Build the ParticleTransformer network for `layout` with its parameters in `store`. */
export function buildParticleTransformer(layout: ModelInputLayout, settings: ParticleTransformerSettings, store: ParameterStore): Network {
  const dim = settings.embedDims[settings.embedDims.length - 1];
  const numCandidates = sequenceLength(layout, settings.groups);
  const groupLayouts = settings.groups.map((name) => {
    const group = layout.groups.find((g) => g.name === name);
    if (group === undefined) throw new Error(`group '${name}' is not in the input layout`);
    return group;
  });

  const embeddings = groupLayouts.map(
    (group) => new Embedding(store, `${group.name}/embedding`, group.features.length, settings.embedDims, settings.inputClip),
  );
  const pairEmbedding = new PairEmbedding(store, 'pair_embedding', settings.pairEmbedDims, settings.numHeads);
  const particleBlocks = Array.from(
    { length: settings.numParticleBlocks },
    (_, k) => new AttentionBlock(store, `particle_block_${k}`, dim, settings.numHeads, settings.feedForwardDim),
  );
  const classBlocks = Array.from(
    { length: settings.numClassBlocks },
    (_, k) => new AttentionBlock(store, `class_block_${k}`, dim, settings.numHeads, settings.feedForwardDim),
  );
  const classToken = store.add('class_token', [1, 1, dim], { kind: 'glorotUniform', fanIn: 1, fanOut: dim });
  const finalNorm = new LayerNorm(store, 'class_norm', dim);
  const globalNorm = new BatchNorm(store, 'global/input_norm', layout.numGlobalFeatures, { clip: settings.inputClip });
  const head: Dense[] = [];
  let size = dim + layout.numGlobalFeatures;
  settings.denseLayers.forEach((units, k) => {
    head.push(new Dense(store, `head/dense_${k}`, size, units, 'relu'));
    size = units;
  });
  const output = new Dense(store, 'head/output', size, layout.classes.length, 'linear');

  return {
    parameters: store,
    apply(inputs: NetworkInputs, mode: ForwardMode): tf.Tensor {
      const numJets = inputs.global.shape[0];
      const fourVectors = new Float32Array(numJets * numCandidates * 4);
      let firstSlot = 0;
      for (const group of groupLayouts) {
        // Synchronous read of input values: the pair features need no gradient.
        const values = inputs.groups[group.name].dataSync<'float32'>();
        const shape = { numJets, numCandidates: group.maxCandidates, numFeatures: group.features.length };
        gatherFourVectors(values, shape, settings.fourVectors[group.name], fourVectors, numCandidates, firstSlot);
        firstSlot += group.maxCandidates;
      }
      const maskValues = candidateMask(fourVectors, numJets, numCandidates);
      const pairs = computePairFeatures(fourVectors, maskValues, numJets, numCandidates);

      const mask = tf.tensor3d(maskValues, [numJets, numCandidates, 1]);
      const keyMask = keyMaskLogits(tf.reshape(mask, [numJets, numCandidates]));
      const pairMask = tf.tensor4d(pairs.pairMask, [numJets, numCandidates, numCandidates, 1]);
      const pairFeatures = tf.tensor4d(pairs.features, [numJets, numCandidates, numCandidates, numPairFeatures]);
      const bias = pairEmbedding.apply(pairFeatures, pairMask, mode);

      let slot = 0;
      const tokens = groupLayouts.map((group, g) => {
        const groupMask = tf.slice(mask, [0, slot, 0], [-1, group.maxCandidates, -1]);
        slot += group.maxCandidates;
        return embeddings[g].apply(inputs.groups[group.name], groupMask, mode);
      });
      let x = tokens.length === 1 ? tokens[0] : tf.concat(tokens, 1);
      for (const block of particleBlocks) {
        x = tf.mul(block.applyParticle(x, bias, keyMask, settings.dropout, mode), mask);
      }

      // The class token is always a valid key, so its mask logit is 0.
      const classKeyMask = tf.concat([tf.zeros([numJets, 1, 1, 1]), keyMask], 3);
      let cls: tf.Tensor = tf.tile(classToken, [numJets, 1, 1]);
      for (const block of classBlocks) cls = block.applyClass(cls, x, classKeyMask, settings.dropout, mode);

      const jetFeatures = tf.concat([tf.reshape(finalNorm.apply(cls), [numJets, dim]), globalNorm.apply(inputs.global, mode)], 1);
      let y = jetFeatures;
      for (const layer of head) y = dropout(layer.apply(y), settings.dropout, mode);
      return output.apply(y);
    },
  };
}
