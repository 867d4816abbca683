import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { computeRoc, downsampleRoc } from '../../src/evaluation/roc.js';
import { Random } from '../../src/random.js';

/** Weighted Mann-Whitney statistic by the O(n^2) pair loop: P(s > b) + P(s = b) / 2. */
function bruteForceAuc(signal: number[], background: number[], signalWeights?: number[], backgroundWeights?: number[]): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < signal.length; i++) {
    for (let j = 0; j < background.length; j++) {
      const w = (signalWeights?.[i] ?? 1) * (backgroundWeights?.[j] ?? 1);
      pairs += w;
      if (signal[i] > background[j]) sum += w;
      else if (signal[i] === background[j]) sum += w / 2;
    }
  }
  return sum / pairs;
}

/** Scores rounded to two decimals, so that many jets tie. */
function tiedScores(random: Random, count: number, shift: number): number[] {
  const scores: number[] = [];
  for (let i = 0; i < count; i++) scores.push(Math.round(Math.min(1, Math.max(0, random.normal() * 0.2 + shift)) * 100) / 100);
  return scores;
}

test('perfect separation has AUC 1', () => {
  assert.equal(computeRoc([0.9, 0.8, 0.7], [0.1, 0.2]).auc, 1);
});

test('inverted separation has AUC 0', () => {
  assert.equal(computeRoc([0.1, 0.2], [0.9, 0.8, 0.7]).auc, 0);
});

test('all tied has AUC one half', () => {
  const curve = computeRoc([0.5, 0.5, 0.5], [0.5, 0.5]);
  assert.equal(curve.auc, 0.5);
  // tied jets move together: one step from (0, 0) to (1, 1)
  assert.deepEqual([...curve.signalEfficiency], [0, 1]);
  assert.deepEqual([...curve.backgroundEfficiency], [0, 1]);
  assert.deepEqual([...curve.thresholds], [0.5, -Infinity]);
});

test('small curve matches hand computation', () => {
  const curve = computeRoc([0.9, 0.5, 0.5], [0.1, 0.5]);
  assert.deepEqual([...curve.thresholds], [0.9, 0.5, 0.1, -Infinity]);
  assert.deepEqual([...curve.signalEfficiency], [0, 1 / 3, 1, 1]);
  assert.deepEqual([...curve.backgroundEfficiency], [0, 0, 0.5, 1]);
  // pairs: 0.9 beats both; each 0.5 ties one and beats one
  assert.ok(Math.abs(curve.auc - 5 / 6) < 1e-15);
  assert.equal(curve.numSignal, 3);
  assert.equal(curve.numBackground, 2);
});

test('AUC equals Mann-Whitney on tied random data', () => {
  const random = new Random(20240611);
  for (let round = 0; round < 5; round++) {
    const signal = tiedScores(random, 200 + round * 37, 0.6);
    const background = tiedScores(random, 300 - round * 29, 0.4);
    const curve = computeRoc(Float64Array.from(signal), Float64Array.from(background));
    const expected = bruteForceAuc(signal, background);
    assert.ok(Math.abs(curve.auc - expected) < 1e-9, `round ${round}: ${curve.auc} vs ${expected}`);
  }
});

test('weighted AUC equals weighted Mann-Whitney', () => {
  const random = new Random(7);
  const signal = tiedScores(random, 250, 0.55);
  const background = tiedScores(random, 350, 0.45);
  const signalWeights = signal.map(() => 0.2 + random.uniform() * 3);
  // a few negative weights, as from NLO generators; the sums stay positive
  const backgroundWeights = background.map((_, i) => (i % 10 === 0 ? -0.5 : 0.1 + random.uniform()));
  const curve = computeRoc(signal, background, { signalWeights, backgroundWeights });
  const expected = bruteForceAuc(signal, background, signalWeights, backgroundWeights);
  assert.ok(Math.abs(curve.auc - expected) < 1e-9, `${curve.auc} vs ${expected}`);
  assert.equal(curve.signalEfficiency[curve.signalEfficiency.length - 1], 1);
  assert.equal(curve.backgroundEfficiency[curve.backgroundEfficiency.length - 1], 1);
});

test('curve efficiencies match direct counts', () => {
  const random = new Random(99);
  const signal = tiedScores(random, 120, 0.6);
  const background = tiedScores(random, 150, 0.4);
  const curve = computeRoc(signal, background);
  for (let k = 0; k < curve.thresholds.length; k++) {
    const threshold = curve.thresholds[k];
    assert.equal(curve.signalEfficiency[k], signal.filter((s) => s > threshold).length / signal.length);
    assert.equal(curve.backgroundEfficiency[k], background.filter((b) => b > threshold).length / background.length);
  }
  // one point per distinct score plus the starting point
  assert.equal(curve.thresholds.length, new Set([...signal, ...background]).size + 1);
});

test('downsampling keeps ends and log detail', () => {
  const random = new Random(3);
  const signal = Float64Array.from({ length: 20000 }, () => random.normal() + 2);
  const background = Float64Array.from({ length: 50000 }, () => random.normal());
  const curve = computeRoc(signal, background);
  const points = downsampleRoc(curve, 400);

  assert.ok(points.thresholds.length <= 400, `${points.thresholds.length} points`);
  assert.ok(points.thresholds.length >= 100);
  const last = points.thresholds.length - 1;
  assert.equal(points.thresholds[0], curve.thresholds[0]);
  assert.equal(points.thresholds[last], -Infinity);
  assert.equal(points.signalEfficiency[last], 1);
  // points below a mistag rate of 1e-3 are kept for the log plot
  const lowMistag = points.backgroundEfficiency.filter((value) => value > 0 && value < 1e-3).length;
  assert.ok(lowMistag >= 10, `${lowMistag} points below 1e-3`);
  for (let k = 1; k <= last; k++) assert.ok(points.signalEfficiency[k] >= points.signalEfficiency[k - 1]);
});

test('short curve is not downsampled', () => {
  const curve = computeRoc([0.9, 0.5], [0.1]);
  assert.equal(downsampleRoc(curve, 10), curve);
  assert.throws(() => downsampleRoc(curve, 2), RangeError);
});

test('empty group and NaN score are rejected', () => {
  assert.throws(() => computeRoc([], [0.1], { name: 'BvsL' }), /BvsL: 0 signal and 1 background jets/);
  assert.throws(() => computeRoc([0.2, NaN], [0.1]), InputError);
  assert.throws(() => computeRoc([0.2], [0.1], { backgroundWeights: [0] }), /background weights sum to 0/);
});
