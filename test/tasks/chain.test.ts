import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot, sharedData } from '../helpers/paths.js';

const bhive = path.join(repoRoot(), 'bin', 'bhive.js');
const config = path.join(repoRoot(), 'configs', 'nanox_deepjet.yml');

function run(outputRoot: string, extra: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    [bhive, 'run', 'WorkingPoint', '--config', config, '--output-dir', outputRoot, '--data-dir', sharedData('jets-nanox'), '--model', 'mlp', '--quiet', ...extra],
    { encoding: 'utf8' },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function onlyDir(parent: string): string {
  const entries = readdirSync(parent).filter((name) => !name.startsWith('.') && !name.endsWith('.lock'));
  assert.equal(entries.length, 1, `expected one output in ${parent}, found ${entries.join(', ')}`);
  return path.join(parent, entries[0]);
}

test('chain runs end to end and is reused', () => {
  const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-chain-'));
  const first = run(outputRoot, ['--epochs', '2']);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /6 task\(s\) ran, 0 reused/);

  const workingPointDir = onlyDir(path.join(outputRoot, 'WorkingPoint', 'nanox_deepjet'));
  const metrics = JSON.parse(readFileSync(path.join(workingPointDir, 'metrics.json'), 'utf8')) as {
    discriminants: Record<string, { auc: number; working_points: Array<{ target_mistag: number; threshold: number | null; signal_efficiency: number }> }>;
  };
  assert.deepEqual(Object.keys(metrics.discriminants), ['BvsL', 'CvsL', 'CvsB']);
  for (const entry of Object.values(metrics.discriminants)) {
    assert.ok(entry.auc > 0 && entry.auc < 1);
    assert.deepEqual(entry.working_points.map((wp) => wp.target_mistag), [0.1, 0.01, 0.001]);
  }
  const rocDir = onlyDir(path.join(outputRoot, 'ROCCurve', 'nanox_deepjet'));
  for (const name of ['roc_BvsL.png', 'roc_BvsL.svg', 'roc_CvsL.png', 'roc_CvsB.svg', 'roc.json']) {
    assert.ok(existsSync(path.join(rocDir, name)), `${name} missing in ${rocDir}`);
  }
  assert.ok(existsSync(path.join(workingPointDir, 'working_points.csv')));
  const trainingDir = onlyDir(path.join(outputRoot, 'Training', 'nanox_deepjet'));
  for (const name of ['best_model', 'checkpoint_epoch_001', 'checkpoint_epoch_002', 'loss_curve.png', 'history.json', 'provenance.json']) {
    assert.ok(existsSync(path.join(trainingDir, name)), `${name} missing in ${trainingDir}`);
  }

  const second = run(outputRoot, ['--epochs', '2']);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, /0 task\(s\) ran, 6 reused/);

  // A changed learning rate trains anew, but the datasets are reused.
  const third = run(outputRoot, ['--epochs', '2', '--learning-rate', '0.01']);
  assert.equal(third.status, 0, third.stderr);
  assert.match(third.stderr, /4 task\(s\) ran, 2 reused/);
  assert.equal(readdirSync(path.join(outputRoot, 'Training', 'nanox_deepjet')).filter((n) => !n.endsWith('.lock')).length, 2);
});
