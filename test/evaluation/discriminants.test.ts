import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, InputError } from '../../src/errors.js';
import {
  computeDiscriminant,
  resolveDiscriminant,
  scoreDiscriminant,
  selectDiscriminantJets,
} from '../../src/evaluation/discriminants.js';

const CLASSES = ['b', 'bb', 'lepb', 'c', 'uds', 'g'];
const BVSL = { name: 'BvsL', signal: ['b', 'bb', 'lepb'], background: ['uds', 'g'] };
const CVSL = { name: 'CvsL', signal: ['c'], background: ['uds', 'g'] };
const CVSB = { name: 'CvsB', signal: ['c'], background: ['b', 'bb', 'lepb'] };

// rows: b, bb, lepb, c, uds, g
const PROBABILITIES = Float32Array.from([
  0.5, 0.1, 0.1, 0.1, 0.1, 0.1,
  0.0, 0.0, 0.0, 0.4, 0.2, 0.4,
  0.0, 0.0, 0.0, 1.0, 0.0, 0.0,
]);

test('BvsL, CvsL and CvsB of three jets', () => {
  const f = (value: number): number => Math.fround(value);
  const bvsl = computeDiscriminant(PROBABILITIES, 6, resolveDiscriminant(BVSL, CLASSES));
  const cvsl = computeDiscriminant(PROBABILITIES, 6, resolveDiscriminant(CVSL, CLASSES));
  const cvsb = computeDiscriminant(PROBABILITIES, 6, resolveDiscriminant(CVSB, CLASSES));

  const b = f(0.5) + f(0.1) + f(0.1);
  assert.ok(Math.abs(bvsl.scores[0] - b / (b + f(0.1) + f(0.1))) < 1e-15);
  assert.ok(Math.abs(bvsl.scores[0] - 0.7 / 0.9) < 1e-7);
  assert.equal(bvsl.scores[1], 0);
  assert.equal(bvsl.numZeroDenominator, 1);
  assert.equal(bvsl.scores[2], 0);

  assert.ok(Math.abs(cvsl.scores[0] - 0.1 / 0.3) < 1e-7);
  assert.ok(Math.abs(cvsl.scores[1] - 0.4 / 1.0) < 1e-7);
  assert.equal(cvsl.scores[2], 1);
  assert.equal(cvsl.numZeroDenominator, 0);

  assert.ok(Math.abs(cvsb.scores[0] - 0.1 / 0.8) < 1e-7);
  assert.equal(cvsb.scores[1], 1);
  assert.equal(cvsb.scores[2], 1);
});

test('unknown class name suggests the closest', () => {
  const spec = { name: 'BvsL', signal: ['b', 'bb', 'lepB'], background: ['uds', 'g'] };
  assert.throws(
    () => resolveDiscriminant(spec, CLASSES),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.message.includes("discriminant 'BvsL'") &&
      error.message.includes("signal class 'lepB'") &&
      error.message.includes("Did you mean 'lepb'") &&
      error.context.configKey === 'discriminants.BvsL.signal',
  );
});

test('class in both lists is rejected', () => {
  assert.throws(
    () => resolveDiscriminant({ name: 'X', signal: ['c', 'g'], background: ['g'] }, CLASSES),
    /discriminant 'X' lists class 'g' as both signal and background/,
  );
});

test('empty class list is rejected', () => {
  assert.throws(() => resolveDiscriminant({ name: 'X', signal: [], background: ['g'] }, CLASSES), ConfigError);
  assert.throws(() => resolveDiscriminant({ name: 'X', signal: ['c'], background: [] }, CLASSES), /no background classes/);
});

test('jet selection skips unknown and other classes', () => {
  const labels = Int32Array.from([0, 3, -1, 4, 1, 5, 2, 3]);
  const { signalJets, backgroundJets } = selectDiscriminantJets(labels, 6, resolveDiscriminant(BVSL, CLASSES));
  assert.deepEqual([...signalJets], [0, 4, 6]);
  assert.deepEqual([...backgroundJets], [3, 5]);
});

test('label outside class range is rejected', () => {
  const bvsl = resolveDiscriminant(BVSL, CLASSES);
  assert.throws(() => selectDiscriminantJets(Int32Array.from([0, 6]), 6, bvsl), /jet 1 has label 6/);
  assert.throws(() => selectDiscriminantJets(Int32Array.from([-2]), 6, bvsl), InputError);
});

test('NaN probability is rejected', () => {
  const probabilities = Float32Array.from([NaN, 0, 0, 0, 0.5, 0.5]);
  assert.throws(() => computeDiscriminant(probabilities, 6, resolveDiscriminant(BVSL, CLASSES)), /jet 0 has signal probability NaN/);
});

test('scores and weights split by class', () => {
  const labels = Int32Array.from([0, 4, 4]);
  const weights = Float32Array.from([2, 0.5, 7]);
  const scores = scoreDiscriminant(PROBABILITIES, labels, 6, resolveDiscriminant(BVSL, CLASSES), weights);
  assert.equal(scores.signalScores.length, 1);
  assert.ok(Math.abs(scores.signalScores[0] - 0.7 / 0.9) < 1e-7);
  assert.deepEqual([...scores.backgroundScores], [0, 0]);
  assert.deepEqual([...(scores.signalWeights ?? [])], [2]);
  assert.deepEqual([...(scores.backgroundWeights ?? [])], [0.5, 7]);
  // jet 1 scores 0 from its probabilities; only jet 2 has a zero denominator
  assert.equal(scores.numZeroDenominator, 1);

  const cvsl = scoreDiscriminant(PROBABILITIES, Int32Array.from([3, 3, 3]), 6, resolveDiscriminant(CVSL, CLASSES));
  assert.equal(cvsl.signalWeights, undefined);
  assert.equal(cvsl.numZeroDenominator, 0);
});

test('mismatched column lengths are rejected', () => {
  const bvsl = resolveDiscriminant(BVSL, CLASSES);
  assert.throws(() => scoreDiscriminant(PROBABILITIES, Int32Array.from([0, 1]), 6, bvsl), /expected 2 jets x 6 classes/);
  assert.throws(
    () => scoreDiscriminant(PROBABILITIES, Int32Array.from([0, 1, 2]), 6, bvsl, new Float32Array(2)),
    /weights have 2 values/,
  );
});
