/**
 * One training epoch: draw or shuffle the jets, then take one optimiser step per batch, with
 * the learning rate from the schedule and optional gradient clipping.
 */

import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../errors.js';
import type { TrainOptions } from '../models/classifier.js';
import { DropoutSeeds } from '../models/tfjs/layers.js';
import type { Random } from '../random.js';
import type { Optimizer } from './optimizer.js';
import { batchRanges, sampleEpoch } from './sampling.js';
import { learningRateAt } from './schedules.js';
import type { ScheduleOptions } from './schedules.js';
import type { TrainableModel } from './trainable.js';

/** Sums over the batches of one epoch; with 'weighted_loss' the loss and correct counts are weighted and `weightSum` is Σw. */
export interface EpochTotals {
  loss: number;
  correct: number;
  weightSum: number;
  jets: number;
  /** Learning rate of the last step. */
  learningRate: number;
}

/**
 * Draw the jets of one epoch with `random`: by stochastic sampling, or for 'weighted_loss'
 * every jet with a known label and a positive weight, shuffled.
 */
export function epochIndices(options: TrainOptions, random: Random): Int32Array {
  const { weight, label } = options.train;
  if ((options.sampling ?? 'stochastic') === 'stochastic') return sampleEpoch(weight, label, random);
  const kept = new Int32Array(weight.length);
  let count = 0;
  for (let i = 0; i < weight.length; i++) if (label[i] >= 0 && weight[i] > 0) kept[count++] = i;
  return random.shuffle(kept.subarray(0, count)).slice();
}

/** Run the batches of epoch `epoch` (counted from 1) and return the sums. */
export async function trainEpoch(
  model: TrainableModel,
  optimizer: Optimizer,
  options: TrainOptions,
  schedule: ScheduleOptions,
  epoch: number,
  random: Random,
): Promise<EpochTotals> {
  const indices = epochIndices(options, random);
  const ranges = batchRanges(indices.length, options.batchSize);
  const variables = optimizer.variables();
  const weighted = options.sampling === 'weighted_loss';
  const clipNorm = options.gradientClipNorm ?? 0;
  const totals: EpochTotals = { loss: 0, correct: 0, weightSum: 0, jets: 0, learningRate: optimizer.learningRate };

  for (let b = 0; b < ranges.length; b++) {
    const [start, stop] = ranges[b];
    const batch = indices.subarray(start, stop);
    const labels = new Int32Array(batch.length);
    const weights = new Float32Array(batch.length);
    let batchWeight = 0;
    for (let i = 0; i < batch.length; i++) {
      labels[i] = options.train.label[batch[i]];
      weights[i] = weighted ? options.train.weight[batch[i]] : 1;
      batchWeight += weights[i];
    }
    const mode = { training: true, dropoutSeeds: new DropoutSeeds(random.nextUint32()) };
    optimizer.learningRate = learningRateAt(schedule, { epoch, batch: b, numBatches: ranges.length });

    const { lossValue, correct } = runOutOfMemoryChecked(options.batchSize, () => tf.tidy(() => {
      const labelTensor = tf.tensor1d(labels, 'int32');
      const oneHot = tf.oneHot(labelTensor, model.numClasses);
      const weightTensor = weighted ? tf.tensor1d(weights) : undefined;
      let correctCount: tf.Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const logits = model.forward(options.train, batch, mode);
        const hits = tf.cast(tf.equal(tf.argMax(logits, 1), labelTensor), 'float32');
        correctCount = tf.keep(tf.sum(weightTensor === undefined ? hits : tf.mul(hits, weightTensor)));
        if (weightTensor === undefined) return tf.losses.softmaxCrossEntropy(oneHot, logits);
        // Σ wᵢ·(−log pᵢ[labelᵢ]) / Σ wᵢ
        const crossEntropy = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1));
        return tf.div(tf.sum(tf.mul(crossEntropy, weightTensor)), batchWeight);
      }, variables);
      let gradients = variables.map((v) => grads[v.name]);
      if (clipNorm > 0) gradients = clipByGlobalNorm(gradients, clipNorm);
      optimizer.applyGradients(gradients);
      return { lossValue: value, correct: correctCount ?? tf.scalar(0) };
    }));

    const loss = (await lossValue.data())[0];
    const numCorrect = (await correct.data())[0];
    lossValue.dispose();
    correct.dispose();
    totals.loss += loss * batchWeight;
    totals.correct += numCorrect;
    totals.weightSum += batchWeight;
    totals.jets += batch.length;
    totals.learningRate = optimizer.learningRate;
    options.onBatch?.(b + 1, ranges.length, loss);
  }
  return totals;
}

/**
 * Scale `gradients` by min(1, maxNorm/(‖g‖ + 1e-6)), where ‖g‖ is the L2 norm of all of them
 * together, as PyTorch's `clip_grad_norm_` does. Call inside `tf.tidy`.
 */
export function clipByGlobalNorm(gradients: tf.Tensor[], maxNorm: number): tf.Tensor[] {
  const squares = gradients.map((g) => tf.sum(tf.square(g)));
  const norm = tf.sqrt(tf.addN(squares));
  const scale = tf.minimum(tf.scalar(1), tf.div(tf.scalar(maxNorm), tf.add(norm, 1e-6)));
  return gradients.map((g) => tf.mul(g, scale));
}

/**
 * Run `step`, turning a WebAssembly abort into an error that names the batch size. The wasm
 * backend has a 4 GB heap: a DeepJet training step with the NANOX layout fits 2048 jets and
 * aborts at 3072 (measured with tfjs 4.22). The backend is unusable after such an abort.
 */
function runOutOfMemoryChecked<T>(batchSize: number, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      throw new InputError(
        `a training step with batchSize ${batchSize} failed in the wasm backend (${error.message}), most likely out of memory; ` +
          'lower batchSize (DeepJet fits 2048) and start a new process',
        {},
        { cause: error },
      );
    }
    throw error;
  }
}
