/**
 * Stochastic sampling of training jets: each epoch keeps every jet with probability equal to
 * its weight, so the kept jets follow the reweighted (pT, η) distributions without weights in
 * the loss. The draw is repeated every epoch, so over many epochs every jet is used.
 */

import type { Random } from '../random.js';

/**
 * Draw the jets of one epoch: jet i is kept when a uniform number in [0, 1) from `random` is
 * below `weights[i]` (one draw per jet, in index order), and the kept indices are then
 * shuffled with the same `random`. Jets with `labels[i] < 0` (unknown class) are never kept
 * and consume no draw. Weights at or above 1 always keep the jet; 0, negative and NaN never do.
 */
export function sampleEpoch(weights: Float32Array, labels: Int32Array, random: Random): Int32Array {
  const kept = new Int32Array(weights.length);
  let count = 0;
  for (let i = 0; i < weights.length; i++) {
    if (labels[i] < 0) continue;
    if (random.uniform() < weights[i]) kept[count++] = i;
  }
  return random.shuffle(kept.subarray(0, count)).slice();
}

/**
 * Split `count` shuffled jets into batches of `batchSize`: [start, stop) ranges, stop excluded.
 * A last partial batch is dropped (its jets are likely drawn again in a later epoch), because a
 * very small batch gives noisy batch-normalisation statistics; when `count` is below
 * `batchSize` the single batch contains all jets.
 */
export function batchRanges(count: number, batchSize: number): Array<[number, number]> {
  if (count === 0) return [];
  if (count < batchSize) return [[0, count]];
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start + batchSize <= count; start += batchSize) ranges.push([start, start + batchSize]);
  return ranges;
}
