/** The Gaussian error linear unit (Hendrycks and Gimpel, arXiv:1606.08415) in its exact form. */

import * as tf from '@tensorflow/tfjs-core';

/**
 * Apply GELU(x) = ½·x·(1 + erf(x/√2)) elementwise. The erf form, not the tanh approximation,
 * matches PyTorch's default `nn.GELU`. tfjs 4.22 has an `Erf` kernel on wasm and cpu, and
 * tfjs-core has its gradient.
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}
