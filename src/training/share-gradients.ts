/**
 * The loss and gradients of one share of a training batch. A batch can be split into shares
 * that replicas of the model compute in parallel. Each share's loss is its sum of
 * wᵢ·(−log pᵢ[labelᵢ]) divided by the weight sum of the whole batch. The shares' losses and
 * gradients therefore add up to those of the whole batch, except that batch normalisation
 * takes its statistics from each share.
 */

import * as tf from '@tensorflow/tfjs-core';
import type { JetArrays } from '../dataset/types.js';
import type { ForwardMode } from '../models/tfjs/layers.js';
import type { TrainableModel } from './trainable.js';

export interface ShareInput {
  data: JetArrays;
  /** Jets of the share, as indices into `data`. */
  indices: ArrayLike<number>;
  /** Class index per jet of the share. */
  labels: Int32Array;
  /** Loss weight per jet of the share; all 1 without a weighted loss. */
  weights: Float32Array;
  /** Weight sum of the whole batch that the share belongs to. */
  batchWeight: number;
  mode: ForwardMode;
}

// A type alias, not an interface, so that tf.tidy accepts it as a tensor container.
export type ShareResult = {
  /** The share's part of the batch loss: Σ wᵢ·CEᵢ / batchWeight over its jets. */
  loss: tf.Scalar;
  /** Σ wᵢ over the jets whose highest logit is their label. */
  correct: tf.Scalar;
  /** Gradients of `loss`, one per variable of `variables`, in that order. */
  gradients: tf.Tensor[];
};

/**
 * Compute the loss, the weighted count of correct predictions and the gradients for one
 * share. Call it inside `tf.tidy`; the caller keeps or disposes what it returns.
 */
export function shareGradients(model: TrainableModel, input: ShareInput, variables: tf.Variable[]): ShareResult {
  const labelTensor = tf.tensor1d(input.labels, 'int32');
  const oneHot = tf.oneHot(labelTensor, model.numClasses);
  const weightTensor = tf.tensor1d(input.weights);
  let correct: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.forward(input.data, input.indices, input.mode);
    const hits = tf.cast(tf.equal(tf.argMax(logits, 1), labelTensor), 'float32');
    correct = tf.keep(tf.sum(tf.mul(hits, weightTensor)) as tf.Scalar);
    const crossEntropy = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1));
    return tf.div(tf.sum(tf.mul(crossEntropy, weightTensor)), input.batchWeight);
  }, variables);
  return { loss: value, correct: correct ?? tf.scalar(0), gradients: variables.map((v) => grads[v.name]) };
}
