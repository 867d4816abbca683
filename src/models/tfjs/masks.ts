/**
 * Masks for padded candidate slots and pooling over the real candidates only. A slot is
 * padding when all its raw features equal the group's pad value, which is 0 in every bhive
 * dataset (non-finite values also become 0 in inputs.ts, before any mask is computed).
 */

import * as tf from '@tensorflow/tfjs-core';

/**
 * Compute the candidate mask of raw group features [jets, candidates, features]: 1 for a
 * real candidate, 0 for a slot whose features all equal 0. Returns float32 [jets, candidates].
 * The mask carries no gradient because the comparison has none.
 */
export function candidateMask(features: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.any(tf.notEqual(features, 0), -1), 'float32'));
}

/** Multiply [jets, candidates, features] by a mask [jets, candidates], which zeroes the padded slots. */
export function applyMask(x: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.expandDims(mask, -1));
}

/** Sum [jets, candidates, features] over the real candidates; returns [jets, features]. */
export function maskedSum(x: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  return tf.sum(applyMask(x, mask), 1);
}

/**
 * Average [jets, candidates, features] over the real candidates; returns [jets, features].
 * A jet without real candidates gets 0, because its count is raised to 1 before the division.
 */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  const counts = tf.maximum(tf.sum(mask, 1, true), 1);
  return tf.div(maskedSum(x, mask), counts);
}

export type PoolingName = 'sum' | 'mean';
export const poolingNames: readonly PoolingName[] = ['sum', 'mean'];

/** Pool [jets, candidates, features] over the real candidates with `pooling`; returns [jets, features]. */
export function maskedPool(x: tf.Tensor, mask: tf.Tensor, pooling: PoolingName): tf.Tensor {
  return pooling === 'sum' ? maskedSum(x, mask) : maskedMean(x, mask);
}
