import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../src/random.js';
import { batchRanges, sampleEpoch } from '../../src/training/sampling.js';

function weightsAndLabels(n: number): { weights: Float32Array; labels: Int32Array } {
  const weights = new Float32Array(n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    weights[i] = (i % 10) / 10; // 0, 0.1, ..., 0.9: mean 0.45
    labels[i] = i % 7 === 0 ? -1 : i % 3;
  }
  return { weights, labels };
}

test('sampleEpoch keeps exact expected count', () => {
  const n = 10000;
  const { weights, labels } = weightsAndLabels(n);
  // Replay the documented rule: one uniform draw per labelled jet, in index order.
  const replay = new Random(42);
  let expected = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] < 0) continue;
    if (replay.uniform() < weights[i]) expected += 1;
  }
  const kept = sampleEpoch(weights, labels, new Random(42));
  assert.equal(kept.length, expected);

  // About Σ weight over labelled jets: 8571 labelled jets with mean weight 0.45 give ≈ 3857.
  let weightSum = 0;
  for (let i = 0; i < n; i++) if (labels[i] >= 0) weightSum += weights[i];
  assert.ok(Math.abs(kept.length - weightSum) < 4 * Math.sqrt(weightSum), `${kept.length} vs ${weightSum}`);
});

test('sampleEpoch returns shuffled distinct labelled jets', () => {
  const { weights, labels } = weightsAndLabels(2000);
  const kept = sampleEpoch(weights, labels, new Random(7));
  const seen = new Set<number>();
  for (const i of kept) {
    assert.ok(labels[i] >= 0, `jet ${i} has no label`);
    assert.ok(weights[i] > 0, `jet ${i} has weight 0`);
    assert.ok(!seen.has(i), `jet ${i} drawn twice`);
    seen.add(i);
  }
  const sorted = Array.from(kept).sort((a, b) => a - b);
  assert.notDeepEqual(Array.from(kept), sorted);
});

test('sampleEpoch weight one keeps every jet', () => {
  const weights = new Float32Array(50).fill(1);
  const labels = new Int32Array(50);
  assert.equal(sampleEpoch(weights, labels, new Random(1)).length, 50);
});

test('sampleEpoch same seed same draw', () => {
  const { weights, labels } = weightsAndLabels(500);
  assert.deepEqual(sampleEpoch(weights, labels, new Random(3)), sampleEpoch(weights, labels, new Random(3)));
  assert.notDeepEqual(sampleEpoch(weights, labels, new Random(3)), sampleEpoch(weights, labels, new Random(4)));
});

test('batchRanges drops last partial batch', () => {
  assert.deepEqual(batchRanges(10, 4), [
    [0, 4],
    [4, 8],
  ]);
  assert.deepEqual(batchRanges(8, 4), [
    [0, 4],
    [4, 8],
  ]);
  assert.deepEqual(batchRanges(3, 4), [[0, 3]]);
  assert.deepEqual(batchRanges(0, 4), []);
});
