import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { Random } from '../../src/random.js';
import { keyMaskLogits, MultiHeadAttention } from '../../src/models/tfjs/attention.js';
import { initTfjsBackend } from '../../src/models/tfjs/backend.js';
import { ParameterStore } from '../../src/models/tfjs/parameters.js';

function randomTensor(random: Random, shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => random.normal()), shape);
}

test('attention rows sum to one over real keys', async () => {
  await initTfjsBackend('wasm');
  const random = new Random(4);
  const store = new ParameterStore(random);
  const attention = new MultiHeadAttention(store, 'mha', 8, 2);
  // Jet 0 has 3 real candidates out of 5, jet 1 all 5, jet 2 none.
  const maskValues = [1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
  const { weights, output } = tf.tidy(() => {
    const x = randomTensor(random, [3, 5, 8]);
    const bias = randomTensor(random, [3, 2, 5, 5]);
    const keyMask = keyMaskLogits(tf.tensor2d(maskValues, [3, 5]));
    const result = attention.apply({ query: x, keyValue: x, bias, keyMask });
    return { weights: result.weights.dataSync<'float32'>().slice(), output: result.output.dataSync<'float32'>().slice() };
  });
  assert.ok(output.every((v) => Number.isFinite(v)), 'outputs are finite, also for the jet without candidates');
  for (let jet = 0; jet < 2; jet++) {
    for (let row = 0; row < 2 * 5; row++) {
      const start = (jet * 10 + row) * 5;
      let realSum = 0;
      for (let key = 0; key < 5; key++) {
        const w = weights[start + key];
        if (maskValues[jet * 5 + key] === 1) realSum += w;
        else assert.equal(w, 0, `jet ${jet} row ${row}: padded key ${key} has weight ${w}`);
      }
      assert.ok(Math.abs(realSum - 1) < 1e-5, `jet ${jet} row ${row} sums to ${realSum}`);
    }
  }
  store.dispose();
});

test('attention matches hand computation single head', async () => {
  await initTfjsBackend('wasm');
  const random = new Random(9);
  const store = new ParameterStore(random);
  const attention = new MultiHeadAttention(store, 'mha', 2, 1);
  // Identity projections with zero bias make Q = K = V = x and the output the weighted sum of x.
  for (const p of store.parameters) {
    const identity = p.name.endsWith('kernel') ? [1, 0, 0, 1] : [0, 0];
    p.variable.assign(tf.tensor(identity, p.shape));
  }
  const tokens = [
    [1, 0],
    [0, 2],
    [3, 1],
  ];
  const bias = [0.5, -1, 0, 0, 0, 2, 1, 1, 1];
  const result = tf.tidy(() =>
    attention
      .apply({ query: tf.tensor3d([tokens]), keyValue: tf.tensor3d([tokens]), bias: tf.tensor4d(bias, [1, 1, 3, 3]) })
      .output.dataSync<'float32'>()
      .slice(),
  );
  for (let q = 0; q < 3; q++) {
    const logits = tokens.map((k, j) => (tokens[q][0] * k[0] + tokens[q][1] * k[1]) / Math.SQRT2 + bias[q * 3 + j]);
    const max = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - max));
    const total = exps.reduce((a, b) => a + b, 0);
    for (let d = 0; d < 2; d++) {
      const expected = exps.reduce((sum, e, j) => sum + (e / total) * tokens[j][d], 0);
      assert.ok(Math.abs(result[q * 2 + d] - expected) < 1e-5, `query ${q} dim ${d}: ${result[q * 2 + d]} vs ${expected}`);
    }
  }
  store.dispose();
});
