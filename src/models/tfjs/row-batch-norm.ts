/**
 * Batch normalisation of a large [rows, features] tensor, such as the edge features of
 * EdgeConv, with the same parameters and moving averages as `BatchNorm` in layers.ts.
 *
 * It is written for speed on the wasm backend of tfjs 4.22. The column means of x and x² are
 * matrix products with a row of ones, which XNNPACK computes faster than `tf.moments`. The
 * normalisation is one multiply and one add with a per-feature scale and shift. The variance
 * is E[x²] − E[x]², clamped at 0. NOTE: in float32 this loses precision when a feature's mean is
 * much larger than its spread, which the dense layer before each use keeps unlikely.
 */

import * as tf from '@tensorflow/tfjs-core';
import { addBatchNormParameters } from './layers.js';
import type { ForwardMode } from './layers.js';
import type { ParameterStore } from './parameters.js';

export class RowBatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly movingMean: tf.Variable;
  readonly movingVariance: tf.Variable;

  constructor(
    store: ParameterStore,
    name: string,
    readonly size: number,
    private readonly momentum = 0.9,
    private readonly epsilon = 1e-3,
  ) {
    const parameters = addBatchNormParameters(store, name, size);
    this.gamma = parameters.gamma;
    this.beta = parameters.beta;
    this.movingMean = parameters.movingMean;
    this.movingVariance = parameters.movingVariance;
  }

  /** Normalise x [rows, size]; training mode uses the batch statistics and updates the moving averages. */
  apply(x: tf.Tensor, mode: ForwardMode): tf.Tensor {
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (mode.training) {
      const numRows = x.shape[0] ?? 1;
      const weights = tf.fill([1, numRows], 1 / numRows);
      mean = tf.reshape(tf.matMul(weights, x), [this.size]);
      const meanOfSquares = tf.reshape(tf.matMul(weights, tf.square(x)), [this.size]);
      variance = tf.relu(tf.sub(meanOfSquares, tf.square(mean)));
      // The assignments copy values only, so they add nothing to the gradient.
      this.movingMean.assign(tf.add(tf.mul(this.movingMean, this.momentum), tf.mul(mean, 1 - this.momentum)));
      this.movingVariance.assign(tf.add(tf.mul(this.movingVariance, this.momentum), tf.mul(variance, 1 - this.momentum)));
    } else {
      mean = this.movingMean;
      variance = this.movingVariance;
    }
    const scale = tf.mul(this.gamma, tf.rsqrt(tf.add(variance, this.epsilon)));
    const shift = tf.sub(this.beta, tf.mul(mean, scale));
    return tf.add(tf.mul(x, scale), shift);
  }
}
