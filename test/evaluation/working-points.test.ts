import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { computeRoc } from '../../src/evaluation/roc.js';
import { findWorkingPoints } from '../../src/evaluation/working-points.js';
import { Random } from '../../src/random.js';

const BACKGROUND = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
const SIGNAL = [0.95, 0.85, 0.5, 0.3];

test('thresholds from ten background jets', () => {
  const [ten, quarter] = findWorkingPoints(SIGNAL, BACKGROUND, [0.1, 0.25]);

  // 10% of 10 jets allows 1 jet above the threshold: the second highest score
  assert.equal(ten.threshold, 0.9);
  assert.equal(ten.achievedMistag, 0.1);
  assert.equal(ten.signalEfficiency, 0.25);
  assert.ok(Math.abs(ten.signalEfficiencyUncertainty - Math.sqrt((0.25 * 0.75) / 4)) < 1e-15);
  assert.equal(ten.numSignal, 4);
  assert.equal(ten.numBackground, 10);
  assert.equal(ten.belowBackgroundResolution, false);
  assert.equal(ten.note, undefined);

  // 25% allows 2 jets (floor of 2.5): the third highest score
  assert.equal(quarter.threshold, 0.8);
  assert.equal(quarter.achievedMistag, 0.2);
  assert.equal(quarter.signalEfficiency, 0.5);
  assert.ok(Math.abs(quarter.signalEfficiencyUncertainty - Math.sqrt((0.5 * 0.5) / 4)) < 1e-15);
});

test('tied background jets move together', () => {
  // a threshold below 0.5 would pass 3 of 4 jets, above the 50% target
  const [point] = findWorkingPoints([0.6, 0.4], [0.5, 0.5, 0.5, 0.2], [0.5]);
  assert.equal(point.threshold, 0.5);
  assert.equal(point.achievedMistag, 0);
  assert.equal(point.signalEfficiency, 0.5);
});

test('target of one passes every jet', () => {
  const [point] = findWorkingPoints(SIGNAL, BACKGROUND, [1]);
  assert.equal(point.threshold, -Infinity);
  assert.equal(point.achievedMistag, 1);
  assert.equal(point.signalEfficiency, 1);
  assert.equal(point.signalEfficiencyUncertainty, 0);
});

test('target below one background jet is flagged', () => {
  const [point] = findWorkingPoints(SIGNAL, BACKGROUND, [0.05]);
  assert.equal(point.belowBackgroundResolution, true);
  assert.match(point.note ?? '', /below 1\/10 background jets/);
  assert.equal(point.threshold, 1.0);
  assert.equal(point.achievedMistag, 0);
  assert.equal(point.signalEfficiency, 0);
});

test('target exactly one over N is resolved', () => {
  const [point] = findWorkingPoints(SIGNAL, BACKGROUND, [0.1]);
  assert.equal(point.belowBackgroundResolution, false);
});

test('weighted working point matches hand computation', () => {
  // background weight above 0.9, 0.8, 0.7: 0, 1, 3 of 10, so 30% gives threshold 0.7
  const [point] = findWorkingPoints([0.95, 0.75, 0.6], [0.9, 0.8, 0.7], [0.3], {
    signalWeights: [2, 1, 1],
    backgroundWeights: [1, 2, 7],
  });
  assert.equal(point.threshold, 0.7);
  assert.ok(Math.abs(point.achievedMistag - 0.3) < 1e-15);
  assert.equal(point.signalEfficiency, 0.75);
  // ((1 - e)^2 (2^2 + 1^2) + e^2 1^2) / 4^2
  const expected = Math.sqrt((0.25 ** 2 * 5 + 0.75 ** 2 * 1) / 16);
  assert.ok(Math.abs(point.signalEfficiencyUncertainty - expected) < 1e-15);
});

test('unit weights give the unweighted result', () => {
  const weighted = findWorkingPoints(SIGNAL, BACKGROUND, [0.1, 0.3], {
    signalWeights: [1, 1, 1, 1],
    backgroundWeights: BACKGROUND.map(() => 1),
  });
  assert.deepEqual(weighted, findWorkingPoints(SIGNAL, BACKGROUND, [0.1, 0.3]));
});

test('achieved mistag is the best ROC point under target', () => {
  const random = new Random(11);
  const signal = Array.from({ length: 3000 }, () => Math.round((random.normal() * 0.2 + 0.6) * 1000) / 1000);
  const background = Array.from({ length: 5000 }, () => Math.round((random.normal() * 0.2 + 0.3) * 1000) / 1000);
  const targets = [0.1, 0.01, 0.001];
  const roc = computeRoc(signal, background);
  const points = findWorkingPoints(signal, background, targets);

  points.forEach((point, index) => {
    let best = 0;
    for (let k = 0; k < roc.thresholds.length; k++) {
      if (roc.backgroundEfficiency[k] <= targets[index]) best = Math.max(best, roc.backgroundEfficiency[k]);
    }
    assert.equal(point.achievedMistag, best);
    assert.ok(point.achievedMistag <= targets[index]);
    const passed = background.filter((score) => score > point.threshold).length;
    assert.equal(point.achievedMistag, passed / background.length);
    assert.equal(point.signalEfficiency, signal.filter((score) => score > point.threshold).length / signal.length);
  });
});

test('invalid target is rejected', () => {
  for (const target of [0, -0.1, 1.5, NaN]) {
    assert.throws(() => findWorkingPoints(SIGNAL, BACKGROUND, [target]), ConfigError, `target ${target}`);
  }
});

test('mismatched signal weights are rejected', () => {
  assert.throws(() => findWorkingPoints(SIGNAL, BACKGROUND, [0.1], { signalWeights: [1] }), /4 signal scores but 1 weights/);
});
