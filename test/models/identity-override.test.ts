import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initTfjsBackend } from '../../src/models/tfjs/backend.js';
import { isIdentityOverrideInstalled } from '../../src/models/tfjs/identity-override.js';

test('identity override shares data safely', async () => {
  await initTfjsBackend('wasm');
  assert.ok(isIdentityOverrideInstalled('wasm'));
  const before = tf.memory().numBytes;
  const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
  const y = tf.clone(x);
  assert.equal(y.dataId, x.dataId, 'the clone has its own data');
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(y.shape, [2, 3]);
  y.dispose();
  assert.equal(tf.memory().numBytes, before);
});

test('identity override keeps gradients', async () => {
  await initTfjsBackend('wasm');
  // d/dx Σ sigmoid(x)·x at x = [0, 1]: sigmoid(x) + x·sigmoid(x)(1 − sigmoid(x)).
  const x = tf.tensor1d([0, 1]);
  const gradient = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.sigmoid(v), v)))(x);
  const s1 = 1 / (1 + Math.exp(-1));
  const [g0, g1] = gradient.dataSync();
  assert.ok(Math.abs(g0 - 0.5) < 1e-6, `${g0}`);
  assert.ok(Math.abs(g1 - (s1 + s1 * (1 - s1))) < 1e-6, `${g1}`);
  x.dispose();
  gradient.dispose();
});

test('variable assign leaves clones unchanged', async () => {
  await initTfjsBackend('wasm');
  const variable = tf.variable(tf.tensor1d([1, 2]));
  const snapshot = tf.clone(variable);
  variable.assign(tf.tensor1d([7, 8]));
  assert.deepEqual(Array.from(snapshot.dataSync()), [1, 2]);
  assert.deepEqual(Array.from(variable.dataSync()), [7, 8]);
  snapshot.dispose();
  variable.dispose();
});
