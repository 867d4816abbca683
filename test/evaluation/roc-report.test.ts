import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, InputError } from '../../src/errors.js';
import { computeRocs, writeRocPlots } from '../../src/evaluation/roc-report.js';
import { computeRoc } from '../../src/evaluation/roc.js';
import { findXmlProblems, PNG_SIGNATURE, pngSize } from '../plotting/well-formed-xml.js';
import { CLASSES, syntheticOutputs } from './evaluation-data.js';

const DISCRIMINANTS = [
  { name: 'BvsL', signal: ['b', 'bb', 'lepb'], background: ['uds', 'g'] },
  { name: 'CvsL', signal: ['c'], background: ['uds', 'g'] },
  { name: 'CvsB', signal: ['c'], background: ['b', 'bb', 'lepb'] },
];

test('ROC of BvsL matches scores computed here', () => {
  const { probabilities, labels } = syntheticOutputs(3000, 1);
  const [bvsl] = computeRocs({ probabilities, labels, classNames: CLASSES, label: 'DeepJet' }, DISCRIMINANTS);

  const signal: number[] = [];
  const background: number[] = [];
  for (let jet = 0; jet < labels.length; jet++) {
    const p = probabilities.subarray(jet * 6, jet * 6 + 6);
    const score = (p[0] + p[1] + p[2]) / (p[0] + p[1] + p[2] + p[4] + p[5]);
    if (labels[jet] >= 0 && labels[jet] <= 2) signal.push(score);
    if (labels[jet] === 4 || labels[jet] === 5) background.push(score);
  }
  const expected = computeRoc(signal, background);
  assert.equal(bvsl.name, 'BvsL');
  assert.equal(bvsl.label, 'DeepJet BvsL');
  assert.equal(bvsl.curve.numSignal, signal.length);
  assert.equal(bvsl.curve.numBackground, background.length);
  assert.ok(Math.abs(bvsl.curve.auc - expected.auc) < 1e-9);
  assert.ok(bvsl.curve.auc > 0.7, `AUC ${bvsl.curve.auc}`);
  assert.ok(bvsl.curve.auc < 1, `AUC ${bvsl.curve.auc}`);
  assert.equal(bvsl.numZeroDenominator, 0);
});

test('weights change the ROC', () => {
  const { probabilities, labels } = syntheticOutputs(2000, 2);
  const weights = Float32Array.from(labels, (_, jet) => (jet % 3 === 0 ? 3 : 1));
  const [plain] = computeRocs({ probabilities, labels, classNames: CLASSES }, DISCRIMINANTS);
  const [weighted] = computeRocs({ probabilities, labels, classNames: CLASSES, weights }, DISCRIMINANTS);
  assert.equal(weighted.curve.numSignal, plain.curve.numSignal);
  assert.ok(weighted.curve.sumSignalWeights > plain.curve.sumSignalWeights);
  assert.notEqual(weighted.curve.auc, plain.curve.auc);
});

test('discriminant without background jets is rejected', () => {
  const { probabilities } = syntheticOutputs(10, 3);
  const labels = new Int32Array(10);
  assert.throws(
    () => computeRocs({ probabilities, labels, classNames: CLASSES }, DISCRIMINANTS),
    (error: unknown) => error instanceof InputError && error.message.includes("discriminant 'BvsL'"),
  );
});

test('ROC files are written', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-roc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { probabilities, labels } = syntheticOutputs(3000, 4);
  const rocs = computeRocs({ probabilities, labels, classNames: CLASSES, label: 'DeepJet' }, DISCRIMINANTS);
  const written = writeRocPlots(dir, rocs, { maxPoints: 300, pngWidth: 480 });

  const expectedFiles = ['roc_all.json', 'roc_all.png', 'roc_all.svg'];
  for (const name of ['BvsL', 'CvsL', 'CvsB']) expectedFiles.push(`roc_${name}.csv`, `roc_${name}.json`, `roc_${name}.png`, `roc_${name}.svg`);
  assert.deepEqual(readdirSync(dir).sort(), expectedFiles.sort());
  assert.deepEqual(written.map((file) => path.basename(file)).sort(), expectedFiles.sort());

  const csv = readFileSync(path.join(dir, 'roc_BvsL.csv'), 'utf8').trimEnd().split('\n');
  assert.equal(csv[0], 'threshold,signal_efficiency,background_efficiency');
  assert.ok(csv.length - 1 <= 300);
  assert.equal(csv[1].split(',').slice(1).join(','), '0,0');
  assert.equal(csv[csv.length - 1], '-Infinity,1,1');

  const svg = readFileSync(path.join(dir, 'roc_BvsL.svg'), 'utf8');
  assert.deepEqual(findXmlProblems(svg), []);
  assert.ok(svg.includes(`DeepJet BvsL (AUC = ${rocs[0].curve.auc.toFixed(3)})`));
  assert.ok(svg.includes('>b+bb+lepb jet efficiency</text>'));
  const combined = readFileSync(path.join(dir, 'roc_all.svg'), 'utf8');
  for (const roc of rocs) assert.ok(combined.includes(`${roc.label} (AUC = ${roc.curve.auc.toFixed(3)})`));

  const png = readFileSync(path.join(dir, 'roc_BvsL.png'));
  assert.deepEqual(png.subarray(0, 8), Buffer.from(PNG_SIGNATURE));
  assert.equal(pngSize(png).width, 480);
});

test('file name clash is rejected', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-roc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { probabilities, labels } = syntheticOutputs(500, 5);
  const rocs = computeRocs({ probabilities, labels, classNames: CLASSES }, [
    { name: 'B/L', signal: ['b'], background: ['g'] },
    { name: 'B:L', signal: ['b'], background: ['uds'] },
  ]);
  assert.throws(() => writeRocPlots(dir, rocs), ConfigError);
});
