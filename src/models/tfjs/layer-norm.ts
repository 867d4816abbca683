/** Layer normalisation (Ba, Kiros, Hinton, arXiv:1607.06450) over the last axis. */

import * as tf from '@tensorflow/tfjs-core';
import type { ParameterStore } from './parameters.js';

/**
 * y = (x − mean)/sqrt(variance + ε)·γ + β, with mean and variance over the last axis of each
 * token separately, so the result is the same in training and inference and does not depend
 * on other jets or candidates. γ starts at 1 and β at 0; neither is weight-decayed.
 */
export class LayerNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;

  constructor(
    store: ParameterStore,
    name: string,
    readonly size: number,
    private readonly epsilon = 1e-5,
  ) {
    this.gamma = store.add(`${name}/gamma`, [size], { kind: 'ones' });
    this.beta = store.add(`${name}/beta`, [size], { kind: 'zeros' });
  }

  /** Normalise [..., size] → [..., size]. */
  apply(x: tf.Tensor): tf.Tensor {
    const { mean, variance } = tf.moments(x, -1, true);
    const normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
    return tf.add(tf.mul(normalised, this.gamma), this.beta);
  }
}
