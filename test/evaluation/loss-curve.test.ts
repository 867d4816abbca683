import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { writeLossCurve } from '../../src/evaluation/loss-curve.js';
import type { EpochMetrics } from '../../src/models/classifier.js';
import { findXmlProblems, pngSize } from '../plotting/well-formed-xml.js';

function epoch(index: number, trainLoss: number, validationLoss: number): EpochMetrics {
  return {
    epoch: index,
    trainLoss,
    trainAccuracy: 0.5,
    validationLoss,
    validationAccuracy: 0.5,
    learningRate: 1e-3,
    numTrainJets: 1000,
    jetsPerSecond: 5000,
    seconds: 0.2,
  };
}

test('loss curve written with both series', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-loss-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = writeLossCurve(path.join(dir, 'loss'), [epoch(1, 1.6, 1.5), epoch(2, 1.2, 1.3), epoch(3, 1.0, 1.25)], {
    pngWidth: 320,
  });
  const svg = readFileSync(files.svgPath, 'utf8');
  assert.deepEqual(findXmlProblems(svg), []);
  assert.ok(svg.includes('>training</text>'));
  assert.ok(svg.includes('>validation</text>'));
  assert.ok(svg.includes('>epoch</text>'));
  assert.equal(pngSize(readFileSync(files.pngPath)).width, 320);
});

test('empty history is rejected', () => {
  assert.throws(() => writeLossCurve('/nonexistent/loss', []), InputError);
});
