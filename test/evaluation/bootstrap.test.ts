import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { bootstrapRoc } from '../../src/evaluation/bootstrap.js';
import { pointAtEfficiency } from '../../src/evaluation/rejection.js';
import { computeRoc } from '../../src/evaluation/roc.js';
import { Random } from '../../src/random.js';

function gaussianScores(seed: number, count: number, mean: number): Float64Array {
  const random = new Random(seed);
  return Float64Array.from({ length: count }, () => random.normal() + mean);
}

const signal = gaussianScores(1, 1500, 1);
const background = gaussianScores(2, 2500, 0);

test('bootstrap is reproducible from its seed', () => {
  const a = bootstrapRoc(signal, background, { replicas: 20, seed: 3 });
  const b = bootstrapRoc(signal, background, { replicas: 20, seed: 3 });
  const c = bootstrapRoc(signal, background, { replicas: 20, seed: 4 });
  assert.deepEqual(a.aucs, b.aucs);
  assert.deepEqual(a.mistagHigh, b.mistagHigh);
  assert.notDeepEqual(a.aucs, c.aucs);
});

test('bootstrap AUC spread matches Hanley-McNeil', () => {
  const band = bootstrapRoc(signal, background, { replicas: 200, seed: 11 });
  const auc = computeRoc(signal, background).auc;
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const ns = signal.length;
  const nb = background.length;
  const standardError = Math.sqrt((auc * (1 - auc) + (ns - 1) * (q1 - auc * auc) + (nb - 1) * (q2 - auc * auc)) / (ns * nb));
  assert.ok(Math.abs(band.aucStd / standardError - 1) < 0.25, `bootstrap ${band.aucStd} vs Hanley-McNeil ${standardError}`);
  let mean = 0;
  for (const value of band.aucs) mean += value / band.aucs.length;
  assert.ok(Math.abs(mean - auc) < 3 * standardError / Math.sqrt(10));
});

test('band surrounds the nominal curve', () => {
  const band = bootstrapRoc(signal, background, { replicas: 100, seed: 5 });
  const curve = computeRoc(signal, background);
  let inside = 0;
  for (let k = 0; k < band.signalEfficiency.length; k++) {
    assert.ok(band.mistagLow[k] <= band.mistagMedian[k], `low above median at ${k}`);
    assert.ok(band.mistagMedian[k] <= band.mistagHigh[k], `median above high at ${k}`);
    const nominal = curve.backgroundEfficiency[pointAtEfficiency(curve, band.signalEfficiency[k])];
    if (nominal >= band.mistagLow[k] && nominal <= band.mistagHigh[k]) inside++;
  }
  // a 68 % band of correlated points: most of the nominal curve lies inside
  assert.ok(inside >= 0.8 * band.signalEfficiency.length, `${inside} of ${band.signalEfficiency.length} inside`);
});

test('bootstrap replica count is bounded', () => {
  assert.throws(() => bootstrapRoc(signal, background, { replicas: 0, seed: 1 }), ConfigError);
  assert.throws(() => bootstrapRoc(signal, background, { replicas: 1001, seed: 1 }), /1001 bootstrap replicas requested; use a whole number from 1 to 1000/);
});
