import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { histogramByClass } from '../../src/evaluation/input-histograms.js';
import { repoRoot, sharedData } from '../helpers/paths.js';

test('class histograms on hand-made values', () => {
  // 201 values 0..200 for class a, so the 0.5 % and 99.5 % quantiles are 1 and 199.
  const values = [...Array.from({ length: 201 }, (_, i) => i), NaN, 50, 7];
  const classOf = [...Array.from({ length: 201 }, () => 0), 0, 1, -1];
  const result = histogramByClass(values, classOf, ['a', 'b'], 4);
  assert.deepEqual(result.edges, [1, 50.5, 100, 149.5, 199]);
  assert.equal(result.numNonFinite, 1);
  assert.deepEqual(result.counts, { a: 201, b: 1 });
  // Class a: 0..50 (51 values, 0 below the range goes to the first bin), 51..99, 100..149, 150..200.
  assert.deepEqual(result.fractions.a.map((f) => Math.round(f * 201)), [51, 49, 50, 51]);
  assert.deepEqual(result.fractions.b, [1, 0, 0, 0]);
});

test('constant feature gets one bin', () => {
  const result = histogramByClass([3, 3, 3], [0, 0, 1], ['a', 'b']);
  assert.deepEqual(result.edges, [2.5, 3.5]);
  assert.deepEqual(result.fractions, { a: [1], b: [1] });
});

test('InputPlots counts every labelled jet', () => {
  const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-inputs-'));
  const result = spawnSync(
    process.execPath,
    [path.join(repoRoot(), 'bin', 'bhive.js'), 'run', 'InputPlots', '--config', path.join(repoRoot(), 'configs', 'nanox_deepjet.yml'), '--output-dir', outputRoot, '--data-dir', sharedData('jets-nanox'), '--quiet'],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  const parent = path.join(outputRoot, 'InputPlots', 'nanox_deepjet');
  const dir = path.join(parent, readdirSync(parent)[0]);
  const summary = JSON.parse(readFileSync(path.join(dir, 'input_plots.json'), 'utf8')) as {
    features: Record<string, { counts: Record<string, number>; num_non_finite: number }>;
  };
  // The training files hold these jets per class after the LLP drop (see the dataset tests).
  assert.deepEqual(summary.features.global_global_pt.counts, { b: 380, bb: 6, lepb: 206, c: 282, uds: 528, g: 468 });
  assert.equal(summary.features.global_global_pt.num_non_finite, 0);
  assert.equal(Object.keys(summary.features).length, 15 + 16 + 6 + 12);
  const files = readdirSync(dir);
  for (const name of ['inputs_global_global_pt.png', 'inputs_global_global_pt.svg', 'inputs_sv_sv_mass.json']) assert.ok(files.includes(name), name);
});
