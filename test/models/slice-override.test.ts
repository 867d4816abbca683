import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initTfjsBackend } from '../../src/models/tfjs/backend.js';
import { isSliceOverrideInstalled } from '../../src/models/tfjs/slice-override.js';

/** Values 0, 1, 2, ... in `shape`, so every element says where it came from. */
function ramp(shape: number[], dtype: 'float32' | 'int32' = 'float32'): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Array.from({ length: size }, (_, i) => i), shape, dtype);
}

/** The element of a row-major array of `shape` at `index`. */
function flatIndex(shape: number[], index: number[]): number {
  return index.reduce((flat, k, axis) => flat * shape[axis] + k, 0);
}

test('slice, split and unstack select the right elements', async () => {
  await initTfjsBackend('wasm');
  assert.ok(isSliceOverrideInstalled('wasm'));
  const shape = [3, 4, 5];
  const x = ramp(shape);

  // A block in the middle of every axis, checked element by element against the ramp.
  const block = tf.slice(x, [1, 1, 2], [2, 2, 3]);
  assert.deepEqual(block.shape, [2, 2, 3]);
  const values = block.dataSync();
  let k = 0;
  for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) for (let c = 0; c < 3; c++) {
    assert.equal(values[k++], flatIndex(shape, [1 + a, 1 + b, 2 + c]));
  }

  // Split of the last axis into pieces of 2 and 3 columns.
  const [left, right] = tf.split(x, [2, -1], 2);
  assert.deepEqual(right.shape, [3, 4, 3]);
  assert.equal(left.dataSync()[5], flatIndex(shape, [0, 2, 1]));
  assert.equal(right.dataSync()[4], flatIndex(shape, [0, 1, 3]));

  // Unstack of the middle axis drops it.
  const pieces = tf.unstack(x, 1);
  assert.equal(pieces.length, 4);
  assert.deepEqual(pieces[2].shape, [3, 5]);
  assert.equal(pieces[2].dataSync()[7], flatIndex(shape, [1, 2, 2]));

  // int32 tensors and a rank-1 slice.
  const ints = tf.slice(ramp([10], 'int32'), [3], [4]);
  assert.equal(ints.dtype, 'int32');
  assert.deepEqual(Array.from(ints.dataSync()), [3, 4, 5, 6]);
  tf.dispose([x, block, left, right, ...pieces, ints]);
});

test('gradients flow through the replaced kernels', async () => {
  await initTfjsBackend('wasm');
  // d/dx Σ (weights ⊙ concat(split(x))) is the weights, whatever the pieces.
  const x = ramp([2, 6]);
  const weights = ramp([2, 6]);
  const gradient = tf.grad((v: tf.Tensor) => {
    const [a, b, c] = tf.split(v, 3, 1);
    const rows = tf.unstack(tf.concat([a, b, c], 1), 0);
    return tf.sum(tf.mul(tf.stack(rows), weights));
  })(x);
  assert.deepEqual(Array.from(gradient.dataSync()), Array.from(weights.dataSync()));
  tf.dispose([x, weights, gradient]);
});
