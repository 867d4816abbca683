import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initTfjsBackend } from '../../src/models/tfjs/backend.js';
import { candidateMask, maskedMean, maskedPool, maskedSum } from '../../src/models/tfjs/masks.js';

await initTfjsBackend('wasm');

// Two jets, three slots, two features. Jet 0: real, padding, real (a real candidate may
// have one zero feature). Jet 1: only padding.
const features = tf.tensor3d([1, 2, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0], [2, 3, 2]);

test('mask flags all-zero slots', () => {
  assert.deepEqual(Array.from(candidateMask(features).dataSync()), [1, 0, 1, 0, 0, 0]);
});

test('masked sum and mean skip padding', () => {
  const x = tf.tensor3d([1, 10, 100, 1000, 3, 30, 7, 7, 7, 7, 7, 7], [2, 3, 2]);
  const mask = candidateMask(features);
  assert.deepEqual(Array.from(maskedSum(x, mask).dataSync()), [4, 40, 0, 0]);
  assert.deepEqual(Array.from(maskedMean(x, mask).dataSync()), [2, 20, 0, 0]);
  assert.deepEqual(Array.from(maskedPool(x, mask, 'sum').dataSync()), [4, 40, 0, 0]);
  assert.deepEqual(Array.from(maskedPool(x, mask, 'mean').dataSync()), [2, 20, 0, 0]);
});

test('masked mean gradient skips padding', () => {
  const x = tf.ones([2, 3, 2]);
  const mask = candidateMask(features);
  const gradient = tf.grad((input: tf.Tensor) => tf.sum(maskedMean(input, mask)))(x).dataSync();
  assert.deepEqual(Array.from(gradient), [0.5, 0.5, 0, 0, 0.5, 0.5, 0, 0, 0, 0, 0, 0]);
});
