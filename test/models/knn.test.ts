import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { Random } from '../../src/random.js';
import { initTfjsBackend } from '../../src/models/tfjs/backend.js';
import { findNeighbours, gatherNeighbours, pairwiseSquaredDistances } from '../../src/models/tfjs/knn.js';

await initTfjsBackend('wasm');

const numJets = 4;
const numCandidates = 9;
const dims = 3;

/** Random coordinates [jets, candidates, dims] and a mask with 9, 6, 2 and 1 real candidates. */
function randomPoints(seed: number): { coordinates: Float32Array; mask: Float32Array } {
  const random = new Random(seed);
  const coordinates = new Float32Array(numJets * numCandidates * dims);
  for (let i = 0; i < coordinates.length; i++) coordinates[i] = random.normal();
  const realCounts = [9, 6, 2, 1];
  const mask = new Float32Array(numJets * numCandidates);
  // Padded slots sit at the end of jet 1 and, out of order, in the middle of jet 2.
  realCounts.forEach((count, jet) => {
    for (let i = 0; i < count; i++) mask[jet * numCandidates + (jet === 2 ? 2 * i + 3 : i)] = 1;
  });
  return { coordinates, mask };
}

/** Neighbours by sorting all distances in plain JavaScript: [row, valid] per (jet, candidate, rank). */
function bruteForceNeighbours(coordinates: Float32Array, mask: Float32Array, k: number): { rows: number[]; valid: number[] } {
  const rows: number[] = [];
  const valid: number[] = [];
  for (let jet = 0; jet < numJets; jet++) {
    for (let i = 0; i < numCandidates; i++) {
      const point = jet * numCandidates + i;
      const candidates: Array<{ j: number; distance: number }> = [];
      for (let j = 0; j < numCandidates; j++) {
        const other = jet * numCandidates + j;
        if (j === i || mask[other] === 0) continue;
        let distance = 0;
        for (let d = 0; d < dims; d++) distance += (coordinates[point * dims + d] - coordinates[other * dims + d]) ** 2;
        candidates.push({ j: other, distance });
      }
      candidates.sort((a, b) => a.distance - b.distance);
      for (let rank = 0; rank < k; rank++) {
        const found = candidates[rank];
        rows.push(found === undefined ? point : found.j);
        valid.push(found === undefined ? 0 : 1);
      }
    }
  }
  return { rows, valid };
}

test('knn matches brute force', () => {
  const { coordinates, mask } = randomPoints(5);
  for (const k of [1, 3, 8]) {
    const expected = bruteForceNeighbours(coordinates, mask, k);
    const selection = findNeighbours(tf.tensor3d(coordinates, [numJets, numCandidates, dims]), tf.tensor2d(mask, [numJets, numCandidates]), k);
    assert.deepEqual(Array.from(selection.rows.dataSync()), expected.rows, `rows for k = ${k}`);
    assert.deepEqual(Array.from(selection.valid.dataSync()), expected.valid, `valid for k = ${k}`);
    assert.deepEqual(selection.valid.shape, [numJets, numCandidates, k]);
    selection.rows.dispose();
    selection.valid.dispose();
  }
});

test('knn never picks padded slots', () => {
  const { coordinates, mask } = randomPoints(6);
  // Put every padded slot exactly on top of candidate 0 of its jet, the closest place possible.
  for (let slot = 0; slot < numJets * numCandidates; slot++) {
    if (mask[slot] !== 0) continue;
    const first = slot - (slot % numCandidates);
    for (let d = 0; d < dims; d++) coordinates[slot * dims + d] = coordinates[first * dims + d];
  }
  const k = 5;
  const selection = findNeighbours(tf.tensor3d(coordinates, [numJets, numCandidates, dims]), tf.tensor2d(mask, [numJets, numCandidates]), k);
  const rows = selection.rows.dataSync();
  const valid = selection.valid.dataSync();
  for (let r = 0; r < rows.length; r++) {
    if (valid[r] === 1) assert.equal(mask[rows[r]], 1, `neighbour entry ${r} is the padded slot ${rows[r]}`);
  }
  const expected = bruteForceNeighbours(coordinates, mask, k);
  assert.deepEqual(Array.from(valid), expected.valid);
});

test('knn rejects k outside range', () => {
  const coordinates = tf.zeros([1, 4, 2]);
  const mask = tf.ones([1, 4]);
  assert.throws(() => findNeighbours(coordinates, mask, 4), /1 <= k < 4/);
  assert.throws(() => findNeighbours(coordinates, mask, 0), /1 <= k < 4/);
});

test('distances wrap the angle axis', () => {
  // (η, φ) points: φ = 3.1 and φ = −3.1 are 2π − 6.2 ≈ 0.083 apart, not 6.2.
  const points = tf.tensor3d([0, 3.1, 0.05, -3.1, 0, 0], [1, 3, 2]);
  const wrapped = pairwiseSquaredDistances(points, { angleAxis: 1 }).dataSync();
  const plain = pairwiseSquaredDistances(points).dataSync();
  const gap = 2 * Math.PI - 6.2;
  assert.ok(Math.abs(wrapped[1] - (0.05 ** 2 + gap ** 2)) < 1e-5, `wrapped distance ${wrapped[1]}`);
  assert.ok(Math.abs(plain[1] - (0.05 ** 2 + 6.2 ** 2)) < 1e-3, `plain distance ${plain[1]}`);
  assert.ok(Math.abs(wrapped[2] - 3.1 ** 2) < 1e-5, `distance to φ = 0 is ${wrapped[2]}`);
  const mask = tf.ones([1, 3]);
  const selection = findNeighbours(points, mask, 1, { angleAxis: 1 });
  assert.deepEqual(Array.from(selection.rows.dataSync()), [1, 0, 0]);
});

test('gather values and gradient', () => {
  const { coordinates, mask } = randomPoints(7);
  const k = 3;
  const numFeatures = 4;
  const selection = findNeighbours(tf.tensor3d(coordinates, [numJets, numCandidates, dims]), tf.tensor2d(mask, [numJets, numCandidates]), k);
  const rows = selection.rows.dataSync();
  const random = new Random(8);
  const values = Float32Array.from({ length: numJets * numCandidates * numFeatures }, () => random.normal());
  const x = tf.tensor3d(values, [numJets, numCandidates, numFeatures]);

  const gathered = gatherNeighbours(selection, x);
  assert.deepEqual(gathered.shape, [numJets, numCandidates, k, numFeatures]);
  const out = gathered.dataSync();
  for (let r = 0; r < rows.length; r++) {
    for (let f = 0; f < numFeatures; f++) assert.equal(out[r * numFeatures + f], values[rows[r] * numFeatures + f]);
  }

  // d/dx of Σ w·gather(x) adds w of every entry that selected a row: a scatter-add.
  const weights = Float32Array.from({ length: out.length }, () => random.normal());
  const expected = new Float32Array(values.length);
  for (let r = 0; r < rows.length; r++) {
    for (let f = 0; f < numFeatures; f++) expected[rows[r] * numFeatures + f] += weights[r * numFeatures + f];
  }
  const w = tf.tensor4d(weights, [numJets, numCandidates, k, numFeatures]);
  const gradient = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(gatherNeighbours(selection, input), w)))(x).dataSync();
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(gradient[i] - expected[i]) < 1e-5, `gradient ${i}: ${gradient[i]} vs ${expected[i]}`);
  }
});
