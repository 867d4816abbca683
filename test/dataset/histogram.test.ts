import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binIndex, checkEdges, createHistogram, fillClassHistograms, findBin } from '../../src/dataset/index.js';

test('findBin edges and clamping', () => {
  const edges = [20, 30, 50];
  assert.equal(findBin(edges, 20), 0);
  assert.equal(findBin(edges, 29.99), 0);
  assert.equal(findBin(edges, 30), 1);
  assert.equal(findBin(edges, 50), 1, 'the last bin includes its upper edge');
  assert.equal(findBin(edges, 60), 1, 'above the binning: last bin');
  assert.equal(findBin(edges, 10), 0, 'below the binning: first bin');
  assert.throws(() => findBin(edges, Number.NaN), RangeError);
});

test('findBin binary search', () => {
  const edges = [0, 1, 2, 3, 4, 5, 6];
  for (let value = 0; value < 6; value += 0.25) assert.equal(findBin(edges, value), Math.floor(value), `value ${value}`);
  assert.equal(findBin([0, 1], 0.5), 0);
  assert.equal(findBin([0, 1], 7), 0);
});

test('checkEdges rejects bad binning', () => {
  assert.throws(() => checkEdges([1], 'pt'), /at least 2/);
  assert.throws(() => checkEdges([1, 3, 3], 'pt'), /strictly ascending/);
  assert.doesNotThrow(() => checkEdges([-2.5, 0, 2.5], 'eta'));
});

test('fillClassHistograms row-major counts', () => {
  // pT bins [20, 50), [50, 100]; η bins [-2.5, 0), [0, 2.5].
  const histograms = fillClassHistograms(
    ['b', 'c'],
    [20, 50, 100],
    [-2.5, 0, 2.5],
    new Int32Array([0, 0, 1, 1, -1]),
    [30, 60, 10, 200, 30],
    [-1, 1, 0, -3, 0],
  );
  assert.deepEqual(histograms.b.counts, [1, 0, 0, 1]);
  // pT 10 is clamped into the first pT bin; pT 200 and η -3 into the last pT and first η bin.
  assert.deepEqual(histograms.c.counts, [0, 1, 1, 0]);
  assert.equal(binIndex(createHistogram([20, 50, 100], [-2.5, 0, 2.5]), 60, 1), 3);
});
