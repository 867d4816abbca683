import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initTfjsBackend } from '../../src/models/tfjs/backend.js';
import { isMatMulOverrideInstalled } from '../../src/models/tfjs/matmul-override.js';
import { Random } from '../../src/random.js';

function randomValues(size: number, seed: number): Float32Array {
  const random = new Random(seed);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = random.normal();
  return values;
}

interface Case {
  name: string;
  aShape: number[];
  bShape: number[];
  transposeA: boolean;
  transposeB: boolean;
}

const cases: Case[] = [];
for (const transposeA of [false, true]) {
  for (const transposeB of [false, true]) {
    cases.push({ name: `2d ${transposeA} ${transposeB}`, aShape: transposeA ? [7, 5] : [5, 7], bShape: transposeB ? [3, 7] : [7, 3], transposeA, transposeB });
    cases.push({
      name: `batched ${transposeA} ${transposeB}`,
      aShape: transposeA ? [2, 7, 5] : [2, 5, 7],
      bShape: transposeB ? [2, 3, 7] : [2, 7, 3],
      transposeA,
      transposeB,
    });
  }
}

/** Run every case on the active backend: plain matMul and fused matMul with bias and ReLU. */
function runCases(): Map<string, Float32Array> {
  const results = new Map<string, Float32Array>();
  cases.forEach((c, k) => {
    tf.tidy(() => {
      const a = tf.tensor(randomValues(c.aShape.reduce((x, y) => x * y), 10 + k), c.aShape);
      const b = tf.tensor(randomValues(c.bShape.reduce((x, y) => x * y), 50 + k), c.bShape);
      const bias = tf.tensor1d(randomValues(3, 90 + k));
      results.set(`matMul ${c.name}`, tf.matMul(a, b, c.transposeA, c.transposeB).dataSync<'float32'>().slice());
      // NOTE: tfjs-backend-wasm 4.22 adds the bias wrongly in a fused matmul whose batch size
      // is above 1, with or without the override, so only rank-2 operands are compared here.
      // The Dense layer flattens its input to rank 2 for this reason.
      if (c.aShape.length !== 2) return;
      const fused = tf.fused.matMul({ a, b, transposeA: c.transposeA, transposeB: c.transposeB, bias, activation: 'relu' });
      results.set(`fused ${c.name}`, fused.dataSync<'float32'>().slice());
    });
  });
  return results;
}

function maxAbsDifference(x: Float32Array, y: Float32Array): number {
  assert.equal(x.length, y.length);
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
  return max;
}

test('wasm matmul override matches cpu backend', async () => {
  await initTfjsBackend('cpu');
  const expected = runCases();
  const info = await initTfjsBackend('wasm');
  assert.equal(info.matMulOverride, true);
  assert.equal(isMatMulOverrideInstalled('wasm'), true);
  const actual = runCases();
  for (const [name, values] of expected) {
    const difference = maxAbsDifference(actual.get(name) ?? new Float32Array(), values);
    assert.ok(difference < 1e-4, `${name}: max difference ${difference}`);
  }
});

test('matmul override leaks no tensors', async () => {
  await initTfjsBackend('wasm');
  const before = tf.memory().numTensors;
  runCases();
  assert.equal(tf.memory().numTensors, before);
});

test('matmul override gradients match cpu', async () => {
  const gradients = (): Float32Array[] =>
    tf.tidy(() => {
      const a = tf.tensor(randomValues(12, 1), [3, 4]);
      const b = tf.tensor(randomValues(20, 2), [4, 5]);
      const bias = tf.tensor1d(randomValues(5, 3));
      const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor): tf.Tensor =>
        tf.sum(tf.square(tf.fused.matMul({ a: x, b: y, bias: z, activation: 'relu' })));
      return tf.grads(f)([a, b, bias]).map((g) => g.dataSync<'float32'>().slice());
    });
  await initTfjsBackend('cpu');
  const expected = gradients();
  await initTfjsBackend('wasm');
  const actual = gradients();
  expected.forEach((values, i) => {
    assert.ok(maxAbsDifference(actual[i], values) < 1e-4, `gradient ${i}`);
  });
});

test('matMulOverride false restores original kernels', async () => {
  const info = await initTfjsBackend('wasm', { matMulOverride: false });
  assert.equal(info.matMulOverride, false);
  assert.equal(isMatMulOverrideInstalled('wasm'), false);
  // The untransposed product goes through the original kernel either way.
  const product = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
  assert.equal(product, 11);
  await initTfjsBackend('wasm');
  assert.equal(isMatMulOverrideInstalled('wasm'), true);
});
