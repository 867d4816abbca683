import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assignJetWeights, computeBinWeights, computeClassWeights, computeFlatWeights, createHistogram } from '../../src/dataset/index.js';
import type { Histogram2D } from '../../src/dataset/index.js';

// Two pT bins [20, 50), [50, 100] by two η bins [-2.5, 0), [0, 2.5]; counts are row-major.
function histogram(counts: number[]): Histogram2D {
  return { ...createHistogram([20, 50, 100], [-2.5, 0, 2.5]), counts };
}

const reference = histogram([4, 2, 0, 1]);

test('reference class gets 1 everywhere', () => {
  assert.deepEqual(computeBinWeights(reference, reference), [1, 1, 1, 1]);
});

test('weights by hand', () => {
  // H_ref / max = [1, 0.5, 0, 0.25]; H_c / max = [2/3, 0, 1, 1/3].
  // Bin 0: 1 / (2/3) = 1.5. Bin 1: class empty, 1. Bin 2: reference empty, 0. Bin 3: 0.25 / (1/3) = 0.75.
  // Divided by the maximum over the class's filled bins (1.5): [1, 1, 0, 0.5].
  const weights = computeBinWeights(histogram([2, 0, 3, 1]), reference);
  assert.equal(weights.length, 4);
  assert.ok(Math.abs(weights[0] - 1) < 1e-12);
  assert.equal(weights[1], 1);
  assert.equal(weights[2], 0);
  assert.ok(Math.abs(weights[3] - 0.5) < 1e-12);
});

test('normalisation to a maximum of 1', () => {
  // H_g / max = [0.25, 1, 0, 0]: raw weights 1 / 0.25 = 4 and 0.5 / 1 = 0.5, so [1, 0.125] after dividing by 4.
  const weights = computeBinWeights(histogram([1, 4, 0, 0]), reference);
  assert.deepEqual(weights, [1, 0.125, 1, 1]);
});

test('class without overlap keeps zeros', () => {
  assert.deepEqual(computeBinWeights(histogram([0, 0, 5, 0]), reference), [1, 1, 0, 1]);
});

test('computeClassWeights keys by class', () => {
  const weights = computeClassWeights({ b: reference, c: histogram([2, 0, 3, 1]) }, 'b');
  assert.deepEqual(Object.keys(weights), ['b', 'c']);
  assert.deepEqual(weights.b, [1, 1, 1, 1]);
  assert.throws(() => computeClassWeights({ c: reference }, 'b'), /reference class 'b'/);
});

test('assignJetWeights looks up each jet', () => {
  const binWeights = [
    [1, 1, 1, 1],
    [1, 1, 0, 0.5],
  ];
  const weights = assignJetWeights(
    binWeights,
    reference,
    new Int32Array([1, 1, 1, 0, -1]),
    [30, 60, 200, 30, 30],
    [-1, 1, -3, -1, 0],
  );
  // Jet 0: bin 0. Jet 1: bin 3. Jet 2: clamped into bin 2. Jet 3: reference class. Jet 4: no label.
  assert.deepEqual([...weights], [1, 0.5, 0, 1, 1]);
});

test('flat weights equalise the filled bins', () => {
  const histograms = {
    b: { ptEdges: [0, 1, 2], etaEdges: [0, 1], counts: [4, 1] },
    light: { ptEdges: [0, 1, 2], etaEdges: [0, 1], counts: [0, 10] },
  };
  const weights = computeFlatWeights(histograms);
  assert.deepEqual(weights.b, [0.25, 1]);
  assert.deepEqual(weights.light, [1, 1]);
  // Weighted counts are equal in every filled bin of a class.
  assert.deepEqual(histograms.b.counts.map((n, i) => n * weights.b[i]), [1, 1]);
});
