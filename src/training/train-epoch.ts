/**
 * One training epoch: draw or shuffle the jets, then take one optimiser step per batch, with
 * the learning rate from the schedule and optional gradient clipping.
 */

import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../errors.js';
import type { TrainOptions } from '../models/classifier.js';
import { DropoutSeeds } from '../models/tfjs/layers.js';
import { gatherRows } from '../models/tfjs/inputs.js';
import type { JetArrays } from '../dataset/types.js';
import type { Random } from '../random.js';
import type { Optimizer } from './optimizer.js';
import { batchRanges, sampleEpoch } from './sampling.js';
import { learningRateAt } from './schedules.js';
import type { ScheduleOptions } from './schedules.js';
import type { TrainableModel } from './trainable.js';
import type { ShareArrays } from './replicas/messages.js';
import type { ReplicaPool } from './replicas/replica-pool.js';
import { shareGradients } from './share-gradients.js';

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
  replicas?: ReplicaPool,
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
    const dropoutSeed = random.nextUint32();
    optimizer.learningRate = learningRateAt(schedule, { epoch, batch: b, numBatches: ranges.length });

    // Replicas get the parameters as they are before this thread's forward pass, which
    // updates the batch-normalisation moving averages.
    const shares = replicas === undefined ? 1 : replicas.size + 1;
    const cuts = shareCuts(batch.length, shares);
    const pending = replicas?.step(
      model.parameterArrays(),
      cuts.slice(1).map(([from, to]) => gatherShare(options.train, model, batch.subarray(from, to), labels.subarray(from, to), weights.subarray(from, to))),
      batchWeight,
      cuts.slice(1).map((_, k) => replicaDropoutSeed(dropoutSeed, k + 1)),
    );
    const [mainFrom, mainTo] = cuts[0];
    const own = runOutOfMemoryChecked(options.batchSize, () =>
      tf.tidy(() =>
        shareGradients(
          model,
          {
            data: options.train,
            indices: batch.subarray(mainFrom, mainTo),
            labels: labels.subarray(mainFrom, mainTo),
            weights: weights.subarray(mainFrom, mainTo),
            batchWeight,
            mode: { training: true, dropoutSeeds: new DropoutSeeds(dropoutSeed) },
          },
          variables,
        ),
      ),
    );
    const others = pending === undefined ? [] : await pending;
    if (others.length > 0) averageNonTrainable(model, others.map((r) => r.nonTrainable));
    tf.tidy(() => {
      let gradients: tf.Tensor[] = own.gradients.map((g, k) =>
        others.length === 0 ? g : tf.addN([g, ...others.map((r) => tf.tensor(r.gradients[k], g.shape))]),
      );
      if (clipNorm > 0) gradients = clipByGlobalNorm(gradients, clipNorm);
      optimizer.applyGradients(gradients);
    });
    const loss = (await own.loss.data())[0] + others.reduce((sum, r) => sum + r.loss, 0);
    const numCorrect = (await own.correct.data())[0] + others.reduce((sum, r) => sum + r.correct, 0);
    tf.dispose([own.loss, own.correct, ...own.gradients]);
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
 * Split `count` jets into `shares` contiguous [from, to) ranges whose sizes differ by at most
 * one. The first share, which the training thread computes, is never the larger one.
 */
export function shareCuts(count: number, shares: number): Array<[number, number]> {
  const cuts: Array<[number, number]> = [];
  const base = Math.floor(count / shares);
  const extra = count % shares;
  let from = 0;
  for (let k = 0; k < shares; k++) {
    // The last `extra` shares take one jet more.
    const size = base + (k >= shares - extra ? 1 : 0);
    cuts.push([from, from + size]);
    from += size;
  }
  return cuts;
}

/** Dropout seed of replica `k` (1, 2, ...) for a step whose own seed is `seed`. */
function replicaDropoutSeed(seed: number, k: number): number {
  // A different multiple of a large odd constant per replica keeps the seeds apart.
  return (seed + Math.imul(k, 0x9e3779b1)) >>> 0;
}

/** Copy the inputs of the jets `indices` into arrays of their own, for a replica. */
function gatherShare(
  data: JetArrays,
  model: TrainableModel,
  indices: Int32Array,
  labels: Int32Array,
  weights: Float32Array,
): ShareArrays {
  const groups: Record<string, Float32Array> = {};
  for (const group of model.inputGroups()) {
    groups[group.name] = gatherRows(data.groups[group.name], group.maxCandidates * group.features.length, indices);
  }
  return {
    numJets: indices.length,
    global: gatherRows(data.global, model.numGlobalFeatures, indices),
    groups,
    labels: labels.slice(),
    weights: weights.slice(),
  };
}

/** Set the batch-normalisation moving averages to the mean of this thread's and the replicas' values. */
function averageNonTrainable(model: TrainableModel, fromReplicas: Float32Array[][]): void {
  const own = model.nonTrainableArrays();
  const scale = 1 / (fromReplicas.length + 1);
  for (let p = 0; p < own.length; p++) {
    const sum = own[p];
    for (const values of fromReplicas) {
      const other = values[p];
      for (let i = 0; i < sum.length; i++) sum[i] += other[i];
    }
    for (let i = 0; i < sum.length; i++) sum[i] *= scale;
  }
  model.assignNonTrainableArrays(own);
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
