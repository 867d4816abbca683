import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { computeWorkingPoints, writeWorkingPoints } from '../../src/evaluation/working-point-report.js';
import { findXmlProblems, PNG_SIGNATURE } from '../plotting/well-formed-xml.js';
import { CLASSES, syntheticOutputs } from './evaluation-data.js';

const DISCRIMINANTS = [
  { name: 'BvsL', signal: ['b', 'bb', 'lepb'], background: ['uds', 'g'] },
  { name: 'CvsL', signal: ['c'], background: ['uds', 'g'] },
];

test('working points per discriminant and target', () => {
  const { probabilities, labels } = syntheticOutputs(3000, 6);
  const results = computeWorkingPoints({ probabilities, labels, classNames: CLASSES }, DISCRIMINANTS, [0.1, 0.01, 0.001]);
  assert.equal(results.length, 2);
  for (const result of results) {
    assert.deepEqual(result.workingPoints.map((point) => point.targetMistag), [0.1, 0.01, 0.001]);
    for (const point of result.workingPoints) assert.ok(point.achievedMistag <= point.targetMistag);
    // about 1000 background jets resolve 1e-3 but not below it
    assert.equal(result.workingPoints[2].belowBackgroundResolution, 1 / result.workingPoints[2].numBackground > 0.001);
    const efficiencies = result.workingPoints.map((point) => point.signalEfficiency);
    assert.ok(efficiencies[0] >= efficiencies[1]);
    assert.ok(efficiencies[1] >= efficiencies[2]);
  }
});

test('working point files are written', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-wp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { probabilities, labels } = syntheticOutputs(2000, 7);
  const results = computeWorkingPoints(
    { probabilities, labels, classNames: CLASSES, label: 'DeepJet' },
    DISCRIMINANTS,
    [0.1, 0.01, 0.0001],
  );
  writeWorkingPoints(dir, results, { pngWidth: 400 });

  assert.deepEqual(readdirSync(dir).sort(), [
    'working_points.csv',
    'working_points_BvsL.json',
    'working_points_BvsL.png',
    'working_points_BvsL.svg',
    'working_points_CvsL.json',
    'working_points_CvsL.png',
    'working_points_CvsL.svg',
  ]);
  const lines = readFileSync(path.join(dir, 'working_points.csv'), 'utf8').trimEnd().split('\n');
  assert.equal(
    lines[0],
    'discriminant,target_mistag,threshold,achieved_mistag,signal_efficiency,signal_efficiency_uncertainty,' +
      'num_signal_jets,num_background_jets,below_background_resolution',
  );
  assert.equal(lines.length, 1 + 2 * 3);
  const first = lines[1].split(',');
  const point = results[0].workingPoints[0];
  assert.equal(first[0], 'BvsL');
  assert.equal(Number(first[1]), 0.1);
  assert.equal(Number(first[2]), point.threshold);
  assert.equal(Number(first[4]), point.signalEfficiency);
  assert.equal(first[8], 'false');
  assert.equal(lines[3].split(',')[8], 'true');

  const svg = readFileSync(path.join(dir, 'working_points_BvsL.svg'), 'utf8');
  assert.deepEqual(findXmlProblems(svg), []);
  assert.ok(svg.includes('>10%</text>'));
  assert.ok(svg.includes('>1%</text>'));
  assert.deepEqual(readFileSync(path.join(dir, 'working_points_BvsL.png')).subarray(0, 8), Buffer.from(PNG_SIGNATURE));
});
