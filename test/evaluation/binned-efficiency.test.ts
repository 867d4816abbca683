import assert from 'node:assert/strict';
import { test } from 'node:test';
import { efficiencyInBins, findBin, quantileEdges } from '../../src/evaluation/binned-efficiency.js';

test('efficiency per bin by hand', () => {
  const scores = [0.9, 0.2, 0.7, 0.6, 0.1, 0.95];
  const pt = [25, 28, 45, 60, 60, 500];
  const result = efficiencyInBins(scores, pt, [20, 30, 100], 0.5);
  // bin [20, 30): 0.9 passes, 0.2 fails; bin [30, 100]: 0.7, 0.6 pass, 0.1 fails; 500 is outside
  assert.deepEqual([...result.numJets], [2, 3]);
  assert.deepEqual([...result.efficiency], [0.5, 2 / 3]);
  assert.ok(Math.abs(result.uncertainty[0] - Math.sqrt(0.25 / 2)) < 1e-15);
  assert.ok(Math.abs(result.uncertainty[1] - Math.sqrt((2 / 3) * (1 / 3) / 3)) < 1e-15);
});

test('weighted efficiency per bin', () => {
  const result = efficiencyInBins([0.9, 0.1, 0.8], [1, 1, 1], [0, 2], 0.5, [2, 1, 3]);
  const e = 5 / 6;
  assert.equal(result.efficiency[0], e);
  // sqrt((1 - e)^2 (4 + 9) + e^2 * 1) / 6
  assert.ok(Math.abs(result.uncertainty[0] - Math.sqrt((1 - e) ** 2 * 13 + e ** 2) / 6) < 1e-15);
});

test('empty bin has NaN efficiency', () => {
  const result = efficiencyInBins([0.9], [5], [0, 10, 20], 0.5);
  assert.equal(result.efficiency[0], 1);
  assert.ok(Number.isNaN(result.efficiency[1]));
  assert.equal(result.numJets[1], 0);
});

test('bin lookup at edges', () => {
  const edges = Float64Array.from([0, 1, 2, 3]);
  assert.equal(findBin(edges, 0), 0);
  assert.equal(findBin(edges, 1), 1);
  assert.equal(findBin(edges, 2.999), 2);
  assert.equal(findBin(edges, 3), 2);
  assert.equal(findBin(edges, -0.1), -1);
  assert.equal(findBin(edges, 3.1), -1);
  assert.equal(findBin(edges, NaN), -1);
});

test('quantile edges split evenly', () => {
  const values = Array.from({ length: 1000 }, (_, i) => i);
  const edges = quantileEdges(values, 4);
  assert.deepEqual(edges && [...edges], [0, 249, 499, 749, 999]);
  assert.equal(quantileEdges([5, 5, 5], 4), undefined);
  assert.deepEqual([...(quantileEdges([1, 2, NaN, Infinity], 2) ?? [])], [1, 2]);
});

test('mismatched lengths are rejected', () => {
  assert.throws(() => efficiencyInBins([0.1, 0.2], [1], [0, 1], 0.5), /2 scores, 1 variable values/);
  assert.throws(() => efficiencyInBins([0.1], [1], [1, 0], 0.5), /bin edges must increase/);
});
