import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { EvaluationSummary } from '../../src/evaluation/summary.js';
import { bruteForceAuc, bruteForceWorkingPoint, readColumnsWithJsroot } from '../evaluation/jsroot-columns.js';
import { repoRoot, sharedData } from '../helpers/paths.js';

const WEAVER_FILE = sharedData('predictions', 'weaver_ak8_flavour_pred.root');
const CLASSES = ['H_bb', 'H_cc', 'H_qq', 'H_tautau'];

function runBhive(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(repoRoot(), 'bin', 'bhive.js'), ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Independent discriminants from the raw branch values, as the config defines them. */
function independentScores(columns: Record<string, number[]>): Record<string, { signal: number[]; background: number[] }> {
  const numJets = columns.label_H_bb.length;
  const label = (jet: number): string => CLASSES.find((c) => columns[`label_${c}`][jet] !== 0) ?? 'none';
  const p = (c: string, jet: number): number => columns[`score_label_${c}`][jet];
  const definitions: Record<string, { signal: string[]; background: string[]; score(jet: number): number }> = {
    HbbVsHqq: { signal: ['H_bb'], background: ['H_qq'], score: (j) => p('H_bb', j) / (p('H_bb', j) + p('H_qq', j)) },
    HccVsHqq: { signal: ['H_cc'], background: ['H_qq'], score: (j) => p('H_cc', j) / (p('H_cc', j) + p('H_qq', j)) },
    HbbVsHcc: { signal: ['H_bb'], background: ['H_cc'], score: (j) => p('H_bb', j) / (p('H_bb', j) + p('H_cc', j)) },
    HbbVsAll: {
      signal: ['H_bb'],
      background: ['H_cc', 'H_qq', 'H_tautau'],
      score: (j) => p('H_bb', j) / (p('H_bb', j) + (p('H_cc', j) + p('H_qq', j) + p('H_tautau', j))),
    },
    HbbLLR: {
      signal: ['H_bb'],
      background: ['H_cc', 'H_qq'],
      score: (j) => Math.log((p('H_bb', j) + 1e-10) / (0.3 * p('H_cc', j) + 0.7 * p('H_qq', j) + 1e-10)),
    },
  };
  const result: Record<string, { signal: number[]; background: number[] }> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const signal: number[] = [];
    const background: number[] = [];
    for (let jet = 0; jet < numJets; jet++) {
      if (definition.signal.includes(label(jet))) signal.push(definition.score(jet));
      else if (definition.background.includes(label(jet))) background.push(definition.score(jet));
    }
    result[name] = { signal, background };
  }
  return result;
}

test('weaver file matches independent computation', async (t) => {
  const outputDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-evaluate-'));
  t.after(() => rmSync(outputDir, { recursive: true, force: true }));
  const config = path.join(repoRoot(), 'configs', 'evaluate_weaver_ak8.yml');
  const run = runBhive(['evaluate', WEAVER_FILE, '--config', config, '--output', path.join(outputDir, 'run'), '--quiet']);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), path.join(outputDir, 'run'));
  const summary = JSON.parse(readFileSync(path.join(outputDir, 'run', 'evaluation.json'), 'utf8')) as EvaluationSummary;

  const branches = [...CLASSES.map((c) => `label_${c}`), ...CLASSES.map((c) => `score_label_${c}`)];
  const columns = await readColumnsWithJsroot(WEAVER_FILE, 'Events', branches);
  assert.equal(summary.num_jets, 2053);
  assert.deepEqual(summary.class_counts, { H_bb: 690, H_cc: 688, H_qq: 448, H_tautau: 227 });

  const expected = independentScores(columns);
  assert.deepEqual(summary.discriminants.map((d) => d.name), Object.keys(expected));
  for (const d of summary.discriminants) {
    const { signal, background } = expected[d.name];
    assert.equal(d.num_signal_jets, signal.length, d.name);
    assert.equal(d.num_background_jets, background.length, d.name);
    assert.ok(Math.abs(d.auc - bruteForceAuc(signal, background)) < 1e-12, `${d.name}: AUC ${d.auc} vs ${bruteForceAuc(signal, background)}`);
    assert.deepEqual(d.working_points.map((wp) => wp.target_mistag), [0.1, 0.05, 0.01, 0.005, 0.001]);
    for (const wp of d.working_points) {
      const reference = bruteForceWorkingPoint(signal, background, wp.target_mistag);
      // the threshold is a score computed twice in double precision from the same float32 values
      assert.ok(Math.abs((wp.threshold ?? -Infinity) - reference.threshold) < 1e-12 || wp.threshold === reference.threshold, `${d.name} ${wp.target_mistag}: threshold`);
      assert.equal(wp.achieved_mistag, reference.mistag, `${d.name} ${wp.target_mistag}: mistag`);
      assert.equal(wp.signal_efficiency, reference.efficiency, `${d.name} ${wp.target_mistag}: efficiency`);
      const e = reference.efficiency;
      assert.ok(Math.abs(wp.signal_efficiency_uncertainty - Math.sqrt((e * (1 - e)) / signal.length)) < 1e-12);
    }
  }
});

test('weaver rejection table matches brute force', async (t) => {
  const outputDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-evaluate-'));
  t.after(() => rmSync(outputDir, { recursive: true, force: true }));
  const run = runBhive(['evaluate', WEAVER_FILE, '--discriminants', 'HbbVsHqq=H_bb/H_qq', '--output', path.join(outputDir, 'run'), '--quiet']);
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(readFileSync(path.join(outputDir, 'run', 'evaluation.json'), 'utf8')) as EvaluationSummary;
  const columns = await readColumnsWithJsroot(WEAVER_FILE, 'Events', ['label_H_bb', 'label_H_qq', 'score_label_H_bb', 'score_label_H_qq']);
  const signal: number[] = [];
  const background: number[] = [];
  columns.label_H_bb.forEach((flag, jet) => {
    const score = columns.score_label_H_bb[jet] / (columns.score_label_H_bb[jet] + columns.score_label_H_qq[jet]);
    if (flag) signal.push(score);
    else if (columns.label_H_qq[jet]) background.push(score);
  });
  const [d] = summary.discriminants;
  assert.equal(d.name, 'HbbVsHqq');
  for (const point of d.rejection) {
    // the highest threshold among all scores whose signal efficiency reaches the target
    const candidates = [...new Set([...signal, ...background])].sort((a, b) => b - a);
    const threshold = candidates.find((c) => signal.filter((s) => s > c).length / signal.length >= point.target_efficiency) ?? -Infinity;
    const mistag = background.filter((b) => b > threshold).length / background.length;
    assert.equal(point.threshold, threshold);
    assert.equal(point.mistag, mistag);
    assert.equal(point.rejection, mistag > 0 ? 1 / mistag : null);
  }
});

test('default discriminants skip empty classes', (t) => {
  const outputDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-evaluate-'));
  t.after(() => rmSync(outputDir, { recursive: true, force: true }));
  const run = runBhive(['evaluate', WEAVER_FILE, '--output', path.join(outputDir, 'run'), '--quiet']);
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(readFileSync(path.join(outputDir, 'run', 'evaluation.json'), 'utf8')) as EvaluationSummary;
  // the file also has label_QCD_all and score_label_QCD_all, but no QCD jet
  assert.deepEqual(summary.classes, ['QCD_all', 'H_bb', 'H_cc', 'H_qq', 'H_tautau']);
  assert.deepEqual(summary.discriminants.map((d) => d.name), ['H_bbvsAll', 'H_ccvsAll', 'H_qqvsAll', 'H_tautauvsAll']);
});

test('unknown class in flags is rejected', () => {
  const run = runBhive(['evaluate', WEAVER_FILE, '--discriminants', 'HbbVsQCD=H_bb/QCD', '--output', path.join(os.tmpdir(), 'bhive-never-written'), '--quiet']);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /names class 'QCD', which is not one of QCD_all, H_bb, H_cc, H_qq, H_tautau/);
});

test('missing input file is named', () => {
  const run = runBhive(['evaluate', '/nonexistent/pred.root', '--quiet']);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /input file \/nonexistent\/pred\.root not found/);
});

test('output folder of another evaluation is not reused', () => {
  const output = path.join(mkdtempSync(path.join(os.tmpdir(), 'bhive-evaluate-')), 'out');
  const file = sharedData('predictions', 'weaver_ak8_flavour_pred.root');
  const first = runBhive(['evaluate', file, '--discriminants', 'HbbVsHqq=H_bb/H_qq', '--output', output, '--quiet']);
  assert.equal(first.status, 0, first.stderr);
  const same = runBhive(['evaluate', file, '--discriminants', 'HbbVsHqq=H_bb/H_qq', '--output', output]);
  assert.equal(same.status, 0, same.stderr);
  assert.match(same.stderr, /already evaluated with the same config and inputs/);
  const other = runBhive(['evaluate', file, '--discriminants', 'HccVsHqq=H_cc/H_qq', '--output', output]);
  assert.equal(other.status, 1);
  assert.match(other.stderr, /holds an evaluation of another config or other inputs/);
});
