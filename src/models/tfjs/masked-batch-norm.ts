/**
 * Batch normalisation over the last axis that ignores padded entries: the statistics and the
 * moving averages use only the entries whose mask is 1, and padded entries come out as 0.
 */

import * as tf from '@tensorflow/tfjs-core';
import { addBatchNormParameters } from './layers.js';
import type { ForwardMode } from './layers.js';
import type { ParameterStore } from './parameters.js';

export interface MaskedBatchNormOptions {
  /** Weight of the old value in the moving averages; default 0.9. */
  momentum?: number;
  epsilon?: number;
  /** Clip the normalised values to ±clip before scale and shift; undefined disables it. */
  clip?: number;
}

/**
 * Normalises x [..., features] with statistics over every axis but the last, weighted by a
 * 0/1 mask [..., 1]. Training mode uses the batch statistics and updates the moving averages
 * in place; a batch without any unmasked entry leaves them unchanged. Inference uses the
 * moving averages. Because padded entries enter neither the statistics nor the output,
 * changing their values changes nothing.
 */
export class MaskedBatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly movingMean: tf.Variable;
  readonly movingVariance: tf.Variable;
  private readonly momentum: number;
  private readonly epsilon: number;
  private readonly clip: number | undefined;

  constructor(store: ParameterStore, name: string, readonly size: number, options: MaskedBatchNormOptions = {}) {
    const parameters = addBatchNormParameters(store, name, size);
    this.gamma = parameters.gamma;
    this.beta = parameters.beta;
    this.movingMean = parameters.movingMean;
    this.movingVariance = parameters.movingVariance;
    this.momentum = options.momentum ?? 0.9;
    this.epsilon = options.epsilon ?? 1e-3;
    this.clip = options.clip;
  }

  /** Normalise x [..., size] where `mask` [..., 1] is 1; the result is 0 where it is 0. */
  apply(x: tf.Tensor, mask: tf.Tensor, mode: ForwardMode): tf.Tensor {
    // Padded entries may hold anything, so they are zeroed before any arithmetic.
    const masked = tf.mul(x, mask);
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (mode.training) {
      const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
      const count = tf.sum(mask);
      const divisor = tf.maximum(count, 1);
      mean = tf.div(tf.sum(masked, axes), divisor);
      variance = tf.div(tf.sum(tf.mul(tf.square(tf.sub(masked, mean)), mask), axes), divisor);
      // The update weight is 0 for a batch without unmasked entries, so the averages keep their values.
      const updateWeight = tf.mul(tf.minimum(count, 1), 1 - this.momentum);
      const keepWeight = tf.sub(1, updateWeight);
      this.movingMean.assign(tf.add(tf.mul(this.movingMean, keepWeight), tf.mul(mean, updateWeight)));
      this.movingVariance.assign(tf.add(tf.mul(this.movingVariance, keepWeight), tf.mul(variance, updateWeight)));
    } else {
      mean = this.movingMean;
      variance = this.movingVariance;
    }
    let normalised = tf.mul(tf.sub(masked, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
    if (this.clip !== undefined) normalised = tf.clipByValue(normalised, -this.clip, this.clip);
    return tf.mul(tf.add(tf.mul(normalised, this.gamma), this.beta), mask);
  }
}
