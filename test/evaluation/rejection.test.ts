import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { rejectionAtEfficiencies } from '../../src/evaluation/rejection.js';
import { computeRoc } from '../../src/evaluation/roc.js';
import { Random } from '../../src/random.js';

test('rejection matches brute force on tied scores', () => {
  const random = new Random(5);
  const signal = Array.from({ length: 400 }, () => Math.round((random.normal() * 0.2 + 0.65) * 50) / 50);
  const background = Array.from({ length: 900 }, () => Math.round((random.normal() * 0.2 + 0.35) * 50) / 50);
  const curve = computeRoc(signal, background);
  const targets = [0.3, 0.5, 0.7, 0.85];
  const points = rejectionAtEfficiencies(curve, targets, background);
  const candidates = [...new Set([...signal, ...background])].sort((a, b) => b - a);
  points.forEach((point, k) => {
    const threshold = candidates.find((c) => signal.filter((s) => s > c).length / signal.length >= targets[k]) ?? -Infinity;
    const mistag = background.filter((b) => b > threshold).length / background.length;
    assert.equal(point.threshold, threshold);
    assert.ok(point.signalEfficiency >= targets[k]);
    assert.equal(point.mistag, mistag);
    assert.equal(point.rejection, 1 / mistag);
    const sigma = Math.sqrt((mistag * (1 - mistag)) / background.length);
    assert.ok(Math.abs(point.mistagUncertainty - sigma) < 1e-15);
    assert.ok(Math.abs(point.rejectionUncertainty - sigma / mistag ** 2) < 1e-9);
  });
});

test('rejection is infinite without passing background', () => {
  const curve = computeRoc([0.9, 0.8], [0.1, 0.2]);
  const [point] = rejectionAtEfficiencies(curve, [0.5], [0.1, 0.2]);
  assert.equal(point.mistag, 0);
  assert.equal(point.rejection, Infinity);
  assert.equal(point.rejectionUncertainty, Infinity);
});

test('rejection target outside (0, 1) is rejected', () => {
  const curve = computeRoc([0.9], [0.1]);
  assert.throws(() => rejectionAtEfficiencies(curve, [1], [0.1]), ConfigError);
  assert.throws(() => rejectionAtEfficiencies(curve, [0], [0.1]), /must lie in \(0, 1\)/);
});
