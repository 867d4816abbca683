/** Padding and clipping of variable-length candidate columns into fixed-size blocks. */

import type { JaggedColumn } from '../root/index.js';

/**
 * Builds a padded block [jets, maxCandidates, features] from one jagged column per feature.
 *
 * Jet j of the block is entry `entries[j]` of the columns. Each jet keeps its first
 * `maxCandidates` candidates in file order, and the remaining slots hold `padValue`.
 * Every feature is clipped by its own length, so columns of unequal length never read
 * past their entry.
 */
export function padCandidates(
  features: JaggedColumn[],
  entries: Int32Array,
  maxCandidates: number,
  padValue: number,
): Float32Array {
  const numFeatures = features.length;
  const numJets = entries.length;
  const block = new Float32Array(numJets * maxCandidates * numFeatures);
  if (padValue !== 0) block.fill(padValue);

  for (let f = 0; f < numFeatures; f++) {
    const { offsets, values } = features[f];
    for (let j = 0; j < numJets; j++) {
      const entry = entries[j];
      const start = offsets[entry];
      const count = Math.min(offsets[entry + 1] - start, maxCandidates);
      const jetBase = j * maxCandidates * numFeatures + f;
      for (let c = 0; c < count; c++) block[jetBase + c * numFeatures] = values[start + c];
    }
  }
  return block;
}

/** Copies the values of `entries` from a flat column into a new float32 array [jets]. */
export function gatherFloat32(column: ArrayLike<number>, entries: Int32Array): Float32Array {
  const result = new Float32Array(entries.length);
  for (let j = 0; j < entries.length; j++) result[j] = column[entries[j]];
  return result;
}

/**
 * Builds a row-major block [jets, columns] from flat columns, taking entry `entries[j]` for jet j.
 */
export function gatherRows(columns: ArrayLike<number>[], entries: Int32Array): Float32Array {
  const width = columns.length;
  const block = new Float32Array(entries.length * width);
  for (let c = 0; c < width; c++) {
    const column = columns[c];
    for (let j = 0; j < entries.length; j++) block[j * width + c] = column[entries[j]];
  }
  return block;
}
