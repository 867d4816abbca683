import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot, sharedData } from '../helpers/paths.js';

const bhive = path.join(repoRoot(), 'bin', 'bhive.js');
const config = path.join(repoRoot(), 'configs', 'nanox_deepjet.yml');
const example = path.join(repoRoot(), 'examples', 'efficiency-vs-pt.js');

function run(outputRoot: string, argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bhive, ...argv, '--config', config, '--output-dir', outputRoot, '--data-dir', sharedData('jets-nanox')], {
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('example module task runs on the chain', () => {
  const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-module-'));
  const result = run(outputRoot, ['run', 'EfficiencyVsPt', '--module', example, '--model', 'mlp', '--epochs', '2', '--mistag', '0.1', '--quiet']);
  assert.equal(result.status, 0, result.stderr);
  const parent = path.join(outputRoot, 'EfficiencyVsPt', 'nanox_deepjet');
  const [leaf] = readdirSync(parent);
  assert.match(leaf, /^BvsL-0\.1-[0-9a-f]{12}$/);
  const lines = readFileSync(path.join(parent, leaf, 'efficiency_vs_pt.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'pt_low,pt_high,signal_jets,signal_efficiency,background_jets,mistag_rate');
  assert.equal(lines.length, 7);
  // Every signal and background jet of the test sample falls into one pT bin.
  const rows = lines.slice(1).map((line) => line.split(',').map(Number));
  const signal = rows.reduce((sum, row) => sum + row[2], 0);
  const background = rows.reduce((sum, row) => sum + row[4], 0);
  const metrics = JSON.parse(readFileSync(path.join(outputRoot, 'WorkingPoint', 'nanox_deepjet', readdirSync(path.join(outputRoot, 'WorkingPoint', 'nanox_deepjet'))[0], 'metrics.json'), 'utf8')) as {
    discriminants: { BvsL: { working_points: Array<{ num_signal_jets: number; num_background_jets: number }> } };
  };
  assert.equal(signal, metrics.discriminants.BvsL.working_points[0].num_signal_jets);
  assert.equal(background, metrics.discriminants.BvsL.working_points[0].num_background_jets);
});

test('module without registerTasks is rejected', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-module-'));
  const module = path.join(dir, 'empty.mjs');
  writeFileSync(module, 'export const nothing = 1;\n');
  const result = run(path.join(dir, 'results'), ['run', 'WorkingPoint', '--module', module]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /does not export a function registerTasks/);
  assert.match(result.stderr, /empty\.mjs/);
});

test('DeepJetWorkflow forces the DeepJet model', () => {
  const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-preset-'));
  const result = run(outputRoot, ['status', 'DeepJetWorkflow', '--epochs', '7']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /Training \[missing\] .*\/deepjet-e7-/);

  // A model given on the command line cannot apply, because the preset fixes it.
  const rejected = run(outputRoot, ['status', 'DeepJetWorkflow', '--model', 'mlp']);
  assert.equal(rejected.status, 1);
  assert.match(rejected.stderr, /parameter 'model' has no effect on DeepJetWorkflow/);
});
