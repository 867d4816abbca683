import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entrySegments, padSegments, sameOffsets, sortSegments } from '../../src/columnar/index.js';

test('sortSegments sorts inside each jet only', () => {
  const offsets = Int32Array.from([0, 3, 3, 5]);
  const items = Int32Array.from([0, 1, 2, 3, 4]);
  const key = [1, 3, 2, NaN, 7];
  sortSegments(offsets, items, key, true);
  assert.deepEqual(Array.from(items), [1, 2, 0, 4, 3]);
  sortSegments(offsets, items, key, false);
  assert.deepEqual(Array.from(items), [0, 2, 1, 4, 3]);
});

test('padSegments pads and clips', () => {
  const offsets = Int32Array.from([0, 3, 4]);
  const items = Int32Array.from([2, 0, 1, 3]);
  const a = [10, 11, 12, 13];
  const b = [20, 21, 22, 23];
  const block = padSegments([a, b], offsets, items, 2, -1);
  assert.deepEqual(Array.from(block), [12, 22, 10, 20, 13, 23, -1, -1]);
});

test('entrySegments of selected entries', () => {
  const columnOffsets = Int32Array.from([0, 2, 2, 5]);
  const { offsets, items } = entrySegments(columnOffsets, Int32Array.from([2, 0]));
  assert.deepEqual(Array.from(offsets), [0, 3, 5]);
  assert.deepEqual(Array.from(items), [2, 3, 4, 0, 1]);
});

test('sameOffsets compares lengths per entry', () => {
  assert.equal(sameOffsets([0, 2, 5], [0, 2, 5]), true);
  assert.equal(sameOffsets([0, 2, 5], [0, 3, 5]), false);
  assert.equal(sameOffsets([0, 2], [0, 2, 5]), false);
});
