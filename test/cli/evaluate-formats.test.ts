import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { encodeNpz } from '../../src/dataset/npz.js';
import type { EvaluationSummary } from '../../src/evaluation/summary.js';
import { bruteForceAuc, bruteForceWorkingPoint, readColumnsWithJsroot } from '../evaluation/jsroot-columns.js';
import { repoRoot, sharedData } from '../helpers/paths.js';

function runBhive(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(repoRoot(), 'bin', 'bhive.js'), ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function readSummary(dir: string): EvaluationSummary {
  return JSON.parse(readFileSync(path.join(dir, 'evaluation.json'), 'utf8')) as EvaluationSummary;
}

test('NanoAOD reference tagger matches brute force', async (t) => {
  const outputDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-evaluate-'));
  t.after(() => rmSync(outputDir, { recursive: true, force: true }));
  const file = sharedData('nanoaod', 'ttH_M125_2017.root');
  const run = runBhive(['evaluate', file, '--config', path.join(repoRoot(), 'configs', 'evaluate_nanoaod_deepjet.yml'), '--output', outputDir, '--force', '--quiet']);
  assert.equal(run.status, 0, run.stderr);
  const summary = readSummary(outputDir);
  // jet counts of this file, as listed with the shared data: 187 b, 83 c, 804 light
  assert.equal(summary.num_jets, 1074);
  assert.deepEqual(summary.class_counts, { b: 187, c: 83, light: 804 });

  const columns = await readColumnsWithJsroot(file, 'Events', ['Jet_hadronFlavour', 'Jet_btagDeepFlavB']);
  const scoresOf = (flavour: number): number[] => columns.Jet_btagDeepFlavB.filter((_, jet) => columns.Jet_hadronFlavour[jet] === flavour);
  const b = scoresOf(5);
  const light = scoresOf(0);
  const c = scoresOf(4);
  const bvsl = summary.discriminants.find((d) => d.name === 'DeepFlavB_BvsL');
  const bvsc = summary.discriminants.find((d) => d.name === 'DeepFlavB_BvsC');
  assert.ok(bvsl, 'DeepFlavB_BvsL missing');
  assert.ok(bvsc, 'DeepFlavB_BvsC missing');
  assert.equal(bvsl.kind, 'stored');
  assert.ok(Math.abs(bvsl.auc - bruteForceAuc(b, light)) < 1e-12);
  assert.ok(Math.abs(bvsc.auc - bruteForceAuc(b, c)) < 1e-12);
  for (const wp of bvsl.working_points) {
    const reference = bruteForceWorkingPoint(b, light, wp.target_mistag);
    assert.equal(wp.threshold, reference.threshold);
    assert.equal(wp.signal_efficiency, reference.efficiency);
  }
});

test('npz with 2-D arrays gives the ROOT numbers', async (t) => {
  const outputDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-evaluate-'));
  t.after(() => rmSync(outputDir, { recursive: true, force: true }));
  const rootFile = sharedData('predictions', 'weaver_ak8_flavour_pred.root');
  const classes = ['H_bb', 'H_cc', 'H_qq'];
  const columns = await readColumnsWithJsroot(rootFile, 'Events', [...classes.map((c) => `label_${c}`), ...classes.map((c) => `score_label_${c}`), 'fj_pt']);
  const numJets = columns.fj_pt.length;
  const label = new Float32Array(numJets * classes.length);
  const score = new Float32Array(numJets * classes.length);
  classes.forEach((c, k) => {
    for (let jet = 0; jet < numJets; jet++) {
      label[jet * classes.length + k] = columns[`label_${c}`][jet];
      score[jet * classes.length + k] = columns[`score_label_${c}`][jet];
    }
  });
  const npzFile = path.join(outputDir, 'pred.npz');
  writeFileSync(
    npzFile,
    encodeNpz(
      [
        ['label', { dtype: '<f4', shape: [numJets, 3], data: label }],
        ['score', { dtype: '<f4', shape: [numJets, 3], data: score }],
        ['pt', { dtype: '<f4', shape: [numJets], data: Float32Array.from(columns.fj_pt) }],
      ],
      true,
    ),
  );
  const column = (array: string, k: number): string => `{ array: ${array}, column: ${k} }`;
  const configFile = path.join(outputDir, 'npz.yml');
  writeFileSync(
    configFile,
    [
      'name: weaver_npz',
      'input:',
      '  labels:',
      `    one_hot: { H_bb: ${column('label', 0)}, H_cc: ${column('label', 1)}, H_qq: ${column('label', 2)} }`,
      `  scores: { H_bb: ${column('score', 0)}, H_cc: ${column('score', 1)}, H_qq: ${column('score', 2)} }`,
      '  pt: pt',
      'discriminants:',
      '  HbbVsHqq: { signal: [H_bb], background: [H_qq] }',
      '  HccVsHqq: { signal: [H_cc], background: [H_qq] }',
      '',
    ].join('\n'),
  );
  const npzRun = runBhive(['evaluate', npzFile, '--config', configFile, '--output', path.join(outputDir, 'npz'), '--quiet']);
  assert.equal(npzRun.status, 0, npzRun.stderr);
  // H_tautau jets have no label among the three classes, so they are unknown (-1) here
  const npz = readSummary(path.join(outputDir, 'npz'));
  assert.equal(npz.class_counts['(unknown)'], 227);

  const rootRun = runBhive(['evaluate', rootFile, '--discriminants', 'HbbVsHqq=H_bb/H_qq,HccVsHqq=H_cc/H_qq', '--output', path.join(outputDir, 'root'), '--quiet']);
  assert.equal(rootRun.status, 0, rootRun.stderr);
  const root = readSummary(path.join(outputDir, 'root'));
  for (const name of ['HbbVsHqq', 'HccVsHqq']) {
    const a = npz.discriminants.find((d) => d.name === name);
    const b = root.discriminants.find((d) => d.name === name);
    assert.ok(a, `${name} missing from the npz run`);
    assert.ok(b, `${name} missing from the ROOT run`);
    assert.equal(a.auc, b.auc);
    assert.deepEqual(a.working_points, b.working_points);
  }
});

test('npz column outside the array is named', (t) => {
  const outputDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-evaluate-'));
  t.after(() => rmSync(outputDir, { recursive: true, force: true }));
  const npzFile = path.join(outputDir, 'small.npz');
  writeFileSync(npzFile, encodeNpz([['score', { dtype: '<f4', shape: [2, 2], data: new Float32Array([0.2, 0.8, 0.6, 0.4]) }]], false));
  const configFile = path.join(outputDir, 'bad.yml');
  writeFileSync(
    configFile,
    'name: bad\ninput:\n  labels:\n    one_hot: { a: { array: score, column: 0 }, b: { array: score, column: 5 } }\n' +
      '  scores: { a: { array: score, column: 0 }, b: { array: score, column: 1 } }\n' +
      'discriminants:\n  AvsB: { signal: [a], background: [b] }\n',
  );
  const run = runBhive(['evaluate', npzFile, '--config', configFile, '--output', path.join(outputDir, 'out'), '--quiet']);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /array 'score' in .*small\.npz has shape \[2, 2\], so it has no column 5 \(label of class b\)/);
});
