import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { sortScores } from '../../src/evaluation/sorted-scores.js';

test('unweighted scores sorted with unit weights', () => {
  const sorted = sortScores([0.3, 0.1, 0.2], undefined, 'jets');
  assert.deepEqual([...sorted.scores], [0.1, 0.2, 0.3]);
  assert.deepEqual([...sorted.weights], [1, 1, 1]);
  assert.equal(sorted.sumWeights, 3);
});

test('weights follow their scores', () => {
  const sorted = sortScores([0.3, 0.1, 0.2, -Infinity], [3, 1, 2, 4], 'jets');
  assert.deepEqual([...sorted.scores], [-Infinity, 0.1, 0.2, 0.3]);
  assert.deepEqual([...sorted.weights], [4, 1, 2, 3]);
  assert.equal(sorted.sumWeights, 10);
});

test('NaN and bad weights are rejected', () => {
  assert.throws(() => sortScores([0.1, NaN], undefined, 'signal jets of BvsL'), /score of signal jets of BvsL number 1 is NaN/);
  assert.throws(() => sortScores([0.1], [Infinity], 'jets'), InputError);
  assert.throws(() => sortScores([0.1], [1, 2], 'jets'), /1 scores but 2 weights/);
});
