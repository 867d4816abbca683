import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gatherFloat32, gatherRows, padCandidates } from '../../src/columnar/index.js';

// Three entries with 3, 0 and 1 candidates; two features, a = 1x and b = 10x.
const offsets = new Int32Array([0, 3, 3, 4]);
const featureA = { offsets, values: new Float32Array([11, 12, 13, 31]) };
const featureB = { offsets, values: new Float32Array([110, 120, 130, 310]) };

test('padCandidates clips to the first candidates', () => {
  const block = padCandidates([featureA, featureB], new Int32Array([0]), 2, -1);
  assert.deepEqual([...block], [11, 110, 12, 120]);
});

test('padCandidates pads with padValue', () => {
  const block = padCandidates([featureA, featureB], new Int32Array([2, 1]), 2, -1);
  // Entry 2: one candidate then padding. Entry 1: padding only.
  assert.deepEqual([...block], [31, 310, -1, -1, -1, -1, -1, -1]);
});

test('padCandidates layout is jets, candidates, features', () => {
  const block = padCandidates([featureA, featureB], new Int32Array([0, 2]), 4, 0);
  assert.equal(block.length, 2 * 4 * 2);
  assert.deepEqual([...block.subarray(0, 8)], [11, 110, 12, 120, 13, 130, 0, 0]);
  assert.deepEqual([...block.subarray(8, 16)], [31, 310, 0, 0, 0, 0, 0, 0]);
});

test('gather functions follow the entry order', () => {
  assert.deepEqual([...gatherFloat32([5, 6, 7], new Int32Array([2, 0]))], [7, 5]);
  assert.deepEqual([...gatherRows([[1, 2, 3], [10, 20, 30]], new Int32Array([1, 2]))], [2, 20, 3, 30]);
});
