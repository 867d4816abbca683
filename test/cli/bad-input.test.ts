import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot, sharedData } from '../helpers/paths.js';

const bhive = path.join(repoRoot(), 'bin', 'bhive.js');
const baseConfig = readFileSync(path.join(repoRoot(), 'configs', 'nanox_deepjet.yml'), 'utf8');

interface Outcome {
  status: number | null;
  stderr: string;
  outputRoot: string;
}

/** Write `configText` to a temporary folder and run `bhive run Task` on it. */
function runBhive(configText: string, extra: string[] = [], dataDir = sharedData('jets-nanox')): Outcome {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-cli-'));
  const configPath = path.join(dir, 'config.yml');
  writeFileSync(configPath, configText);
  const outputRoot = path.join(dir, 'results');
  const result = spawnSync(
    process.execPath,
    [
      bhive, 'run', 'Training', '--config', configPath, '--output-dir', outputRoot, '--data-dir', dataDir, '--epochs', '1', '--quiet',
      ...(extra.includes('--model') ? [] : ['--model', 'mlp']),
      ...extra,
    ],
    { encoding: 'utf8' },
  );
  return { status: result.status, stderr: result.stderr, outputRoot };
}

/** Every file called provenance.json below `root`: each marks a completed task output. */
function completedOutputs(root: string): string[] {
  if (!existsSync(root)) return [];
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry === 'provenance.json') found.push(full);
    }
  };
  walk(root);
  return found;
}

test('missing input file is named', () => {
  const outcome = runBhive(baseConfig.replace('train: [train_*.root]', 'train: [train_9.root]'));
  assert.equal(outcome.status, 1);
  assert.match(outcome.stderr, /train_9\.root does not exist/);
  assert.deepEqual(completedOutputs(outcome.outputRoot), []);
});

test('missing tree is named with the trees present', () => {
  const outcome = runBhive(baseConfig.replace(/^tree: jets$/m, 'tree: Events'));
  assert.equal(outcome.status, 1);
  assert.match(outcome.stderr, /Events/);
  assert.match(outcome.stderr, /jets/);
  assert.match(outcome.stderr, /train_1\.root/);
  assert.deepEqual(completedOutputs(outcome.outputRoot), []);
});

test('missing branch is named', () => {
  const outcome = runBhive(baseConfig.replace('  - global_rho\n', '  - global_rhoo\n'));
  assert.equal(outcome.status, 1);
  assert.match(outcome.stderr, /global_rhoo/);
  assert.match(outcome.stderr, /global_rho\b/);
  assert.match(outcome.stderr, /train_1\.root/);
  assert.deepEqual(completedOutputs(outcome.outputRoot), []);
});

test('unknown model name is named before any work', () => {
  const outcome = runBhive(baseConfig, ['--model', 'deepjett']);
  assert.equal(outcome.status, 1);
  assert.match(outcome.stderr, /unknown model 'deepjett'/);
  assert.match(outcome.stderr, /deepjet/);
  assert.equal(existsSync(outcome.outputRoot), false);
});

test('unknown config key is named', () => {
  const outcome = runBhive(baseConfig.replace('cuts:', 'cut:'));
  assert.equal(outcome.status, 1);
  assert.match(outcome.stderr, /unknown key 'cut'/);
  assert.match(outcome.stderr, /Did you mean 'cuts'/);
  assert.equal(existsSync(outcome.outputRoot), false);
});

test('unknown task parameter is named', () => {
  const outcome = runBhive(baseConfig, ['--learning-rat', '0.1']);
  assert.equal(outcome.status, 1);
  assert.match(outcome.stderr, /parameter 'learning_rat'/);
});

test('truncated ROOT file is named', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-damaged-'));
  for (const name of ['train_1.root', 'train_2.root']) copyFileSync(sharedData('jets-nanox', name), path.join(dataDir, name));
  const damaged = path.join(dataDir, 'train_2.root');
  const bytes = readFileSync(damaged);
  writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const outcome = runBhive(baseConfig, [], dataDir);
  assert.equal(outcome.status, 1);
  assert.match(outcome.stderr, /train_2\.root/);
  assert.deepEqual(completedOutputs(outcome.outputRoot), []);
});

test('binning narrower than the cuts is rejected', () => {
  const outcome = runBhive(baseConfig.replace('pt_bins: [20, 30, 50, 80, 120, 200, 1500]', 'pt_bins: [100, 200, 1500]'));
  assert.equal(outcome.status, 1);
  assert.match(outcome.stderr, /reweighting\.pt_bins start at 100 GeV, above cuts\.pt_min 20/);
  assert.equal(existsSync(outcome.outputRoot), false);
});

test('cuts that remove every jet fail the dataset', () => {
  const outcome = runBhive(baseConfig.replace('pt: { branch: global_pt, log10: true }', 'pt: { branch: global_pt }'));
  assert.equal(outcome.status, 1);
  assert.match(outcome.stderr, /no jet of sample 'train' passed the selection \(dropped: [^)]*pt_min 1870/);
  assert.match(outcome.stderr, /log10: true/);
  assert.deepEqual(completedOutputs(outcome.outputRoot), []);
});

test('collision data without labels gets a hint', () => {
  const outcome = runBhive(baseConfig.replace('train: [train_*.root]', 'train: [da_train1_1.root]'));
  assert.equal(outcome.status, 1);
  assert.match(outcome.stderr, /branch 'jetorigin_\w+' not found/);
  assert.match(outcome.stderr, /run with --require-labels false/);
});
