/**
 * Multi-head scaled dot-product attention (Vaswani et al., arXiv:1706.03762) with an
 * optional additive bias per head and a key-padding mask, as ParticleTransformer's particle
 * and class attention blocks use it.
 */

import * as tf from '@tensorflow/tfjs-core';
import { Dense } from './layers.js';
import type { ParameterStore } from './parameters.js';

/**
 * Logit added for a padded key. exp(−1e9) is exactly 0 in float32, so a padded key gets zero
 * weight whenever the row has at least one real key. A finite value, unlike −∞, keeps a row
 * without any real key finite (near-uniform weights) instead of NaN.
 */
export const maskedLogit = -1e9;

/**
 * Turn a key mask [jets, keys] (1 real, 0 padding) into additive logits [jets, 1, 1, keys]:
 * 0 for real keys and `maskedLogit` for padded ones, broadcast over heads and queries.
 */
export function keyMaskLogits(mask: tf.Tensor): tf.Tensor {
  const [numJets, numKeys] = mask.shape;
  return tf.reshape(tf.mul(tf.sub(1, mask), maskedLogit), [numJets, 1, 1, numKeys]);
}

export interface AttentionInputs {
  /** Queries [jets, queries, dim]. */
  query: tf.Tensor;
  /** Keys and values [jets, keys, dim]. */
  keyValue: tf.Tensor;
  /** Added to the attention logits: [jets, heads, queries, keys]; undefined adds nothing. */
  bias?: tf.Tensor;
  /** From `keyMaskLogits`, [jets, 1, 1, keys]; undefined attends to every key. */
  keyMask?: tf.Tensor;
}

export interface AttentionOutputs {
  /** [jets, queries, dim]. */
  output: tf.Tensor;
  /** Attention weights [jets, heads, queries, keys]; each row sums to 1 over the keys. */
  weights: tf.Tensor;
}

/**
 * Multi-head attention: softmax(Q·Kᵀ/sqrt(dim/heads) + bias + mask)·V per head, then an
 * output projection. Q, K, V and the output projection are dense layers with bias on the last
 * axis. `dim` must be a multiple of `numHeads`.
 */
export class MultiHeadAttention {
  private readonly queryProjection: Dense;
  private readonly keyProjection: Dense;
  private readonly valueProjection: Dense;
  private readonly outputProjection: Dense;
  readonly headDim: number;

  constructor(
    store: ParameterStore,
    name: string,
    readonly dim: number,
    readonly numHeads: number,
  ) {
    if (!Number.isInteger(dim / numHeads)) {
      throw new Error(`attention '${name}': dimension ${dim} is not a multiple of the ${numHeads} heads`);
    }
    this.headDim = dim / numHeads;
    this.queryProjection = new Dense(store, `${name}/query`, dim, dim, 'linear');
    this.keyProjection = new Dense(store, `${name}/key`, dim, dim, 'linear');
    this.valueProjection = new Dense(store, `${name}/value`, dim, dim, 'linear');
    this.outputProjection = new Dense(store, `${name}/output`, dim, dim, 'linear');
  }

  apply(inputs: AttentionInputs): AttentionOutputs {
    const [numJets, numQueries] = inputs.query.shape;
    const q = this.splitHeads(tf.mul(this.queryProjection.apply(inputs.query), 1 / Math.sqrt(this.headDim)));
    const k = this.splitHeads(this.keyProjection.apply(inputs.keyValue));
    const v = this.splitHeads(this.valueProjection.apply(inputs.keyValue));

    let logits = tf.matMul(q, k, false, true);
    if (inputs.bias !== undefined) logits = tf.add(logits, inputs.bias);
    if (inputs.keyMask !== undefined) logits = tf.add(logits, inputs.keyMask);
    const weights = tf.softmax(logits);

    const perHead = tf.matMul(weights, v);
    const merged = tf.reshape(tf.transpose(perHead, [0, 2, 1, 3]), [numJets, numQueries, this.dim]);
    return { output: this.outputProjection.apply(merged), weights };
  }

  /** [jets, tokens, dim] → [jets, heads, tokens, headDim]. */
  private splitHeads(x: tf.Tensor): tf.Tensor {
    const [numJets, numTokens] = x.shape;
    return tf.transpose(tf.reshape(x, [numJets, numTokens, this.numHeads, this.headDim]), [0, 2, 1, 3]);
  }
}
