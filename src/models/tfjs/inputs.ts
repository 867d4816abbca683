/**
 * Conversion of jets from `JetArrays` (flat typed arrays) to the input tensors of a network,
 * for a list of jet indices. NaN and ±Infinity in the features become 0, because one
 * non-finite value would turn a whole batch's loss and batch-normalisation statistics into NaN.
 */

import * as tf from '@tensorflow/tfjs-core';
import type { JetArrays } from '../../dataset/types.js';
import { InputError } from '../../errors.js';
import type { ModelInputLayout } from '../classifier.js';

/** Input tensors of one batch: global [jets, features] and one [jets, candidates, features] per group. */
export interface NetworkInputs {
  global: tf.Tensor;
  groups: Record<string, tf.Tensor>;
}

/** Check that the arrays of `data` have the sizes that `layout` implies; throws an `InputError` otherwise. */
export function checkJetArrays(data: JetArrays, layout: ModelInputLayout): void {
  const n = data.numJets;
  const expect = (what: string, actual: number, expected: number): void => {
    if (actual !== expected) {
      throw new InputError(
        `${what} has ${actual} values; ${n} jets with the model's input layout need ${expected}. ` +
          'Use a dataset built with the same configuration as the model.',
      );
    }
  };
  expect('the global feature array', data.global.length, n * layout.numGlobalFeatures);
  expect('the label array', data.label.length, n);
  expect('the weight array', data.weight.length, n);
  for (const group of layout.groups) {
    const values = data.groups[group.name];
    if (values === undefined) {
      const present = Object.keys(data.groups).join(', ') || 'none';
      throw new InputError(`the jets have no candidate group '${group.name}' (groups present: ${present})`);
    }
    expect(`candidate group '${group.name}'`, values.length, n * group.maxCandidates * group.features.length);
  }
}

/** Copy rows `indices` of a row-major [jets, rowSize] array, replacing non-finite values by 0. */
export function gatherRows(source: Float32Array, rowSize: number, indices: ArrayLike<number>): Float32Array {
  const result = new Float32Array(indices.length * rowSize);
  for (let r = 0; r < indices.length; r++) {
    const start = indices[r] * rowSize;
    const offset = r * rowSize;
    for (let k = 0; k < rowSize; k++) {
      const v = source[start + k];
      result[offset + k] = Number.isFinite(v) ? v : 0;
    }
  }
  return result;
}

/** Indices start, start + 1, ..., stop - 1 (stop excluded). */
export function indexRange(start: number, stop: number): Int32Array {
  const result = new Int32Array(stop - start);
  for (let i = 0; i < result.length; i++) result[i] = start + i;
  return result;
}

/** Build the input tensors for the jets at `indices`. The caller disposes them. */
export function makeInputs(data: JetArrays, layout: ModelInputLayout, indices: ArrayLike<number>): NetworkInputs {
  const n = indices.length;
  const global = tf.tensor2d(gatherRows(data.global, layout.numGlobalFeatures, indices), [n, layout.numGlobalFeatures]);
  const groups: Record<string, tf.Tensor> = {};
  for (const group of layout.groups) {
    const numFeatures = group.features.length;
    const values = gatherRows(data.groups[group.name], group.maxCandidates * numFeatures, indices);
    groups[group.name] = tf.tensor3d(values, [n, group.maxCandidates, numFeatures]);
  }
  return { global, groups };
}

export function disposeInputs(inputs: NetworkInputs): void {
  inputs.global.dispose();
  for (const t of Object.values(inputs.groups)) t.dispose();
}
