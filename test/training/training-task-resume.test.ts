import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { repoRoot, sharedData } from '../helpers/paths.js';

const bhive = path.join(repoRoot(), 'bin', 'bhive.js');
const config = path.join(repoRoot(), 'configs', 'nanox_deepjet.yml');
const killHook = path.join(path.dirname(fileURLToPath(import.meta.url)), 'kill-on-output.js');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bhive-task-resume-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Run the Training task of the NANOX config with the MLP; `killOn` makes the process SIGKILL itself at that stderr text. */
function runTraining(outputRoot: string, killOn = '') {
  const args = ['--import', killHook, bhive, 'run', 'Training', '--config', config, '--output-dir', outputRoot];
  args.push('--data-dir', sharedData('jets-nanox'), '--model', 'mlp', '--epochs', '4', '--lr-schedule', 'cosine');
  return spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, BHIVE_KILL_ON_OUTPUT: killOn } });
}

function trainingDir(outputRoot: string): string {
  const parent = path.join(outputRoot, 'Training', 'nanox_deepjet');
  const entries = readdirSync(parent).filter((name) => !name.startsWith('.') && !name.endsWith('.lock') && !name.endsWith('.partial'));
  assert.equal(entries.length, 1, `expected one output in ${parent}, found ${entries.join(', ')}`);
  return path.join(parent, entries[0]);
}

test('training task resumes after SIGKILL', () => {
  const reference = runTraining(path.join(scratch, 'reference'));
  assert.equal(reference.status, 0, reference.stderr);

  const killedRoot = path.join(scratch, 'killed');
  const killed = runTraining(killedRoot, 'epoch 2/4:');
  assert.equal(killed.signal, 'SIGKILL', killed.stderr);
  const parent = path.join(killedRoot, 'Training', 'nanox_deepjet');
  const partial = readdirSync(parent).filter((name) => name.endsWith('.partial'));
  assert.equal(partial.length, 1, `expected one .partial directory in ${parent}`);
  assert.ok(existsSync(path.join(parent, partial[0], 'checkpoint_epoch_002')));

  const resumed = runTraining(killedRoot);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming from the checkpoint of epoch 2/);
  assert.doesNotMatch(resumed.stderr, /epoch 1\/4:/);
  assert.deepEqual(readdirSync(parent).filter((name) => name.endsWith('.partial') || name.startsWith('.tmp-')), []);

  const resumedDir = trainingDir(killedRoot);
  const referenceDir = trainingDir(path.join(scratch, 'reference'));
  assert.equal(path.basename(resumedDir), path.basename(referenceDir));
  for (const dir of ['checkpoint_epoch_004', 'best_model']) {
    const a = readFileSync(path.join(resumedDir, dir, 'weights.bin'));
    const b = readFileSync(path.join(referenceDir, dir, 'weights.bin'));
    assert.ok(a.equals(b), `${dir}/weights.bin differs from the uninterrupted run`);
  }
  const history = JSON.parse(readFileSync(path.join(resumedDir, 'history.json'), 'utf8')) as { epochs: Array<{ epoch: number }> };
  assert.deepEqual(history.epochs.map((m) => m.epoch), [1, 2, 3, 4]);
  for (const name of ['accuracy_curve.png', 'learning_rate_curve.svg', 'loss_curve.png']) {
    assert.ok(existsSync(path.join(resumedDir, name)), `${name} missing`);
  }
});

test('training task rejects invalid resume', () => {
  const args = [bhive, 'run', 'Training', '--config', config, '--output-dir', path.join(scratch, 'invalid')];
  args.push('--data-dir', sharedData('jets-nanox'), '--model', 'mlp', '--epochs', '1', '--resume', 'last');
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /invalid value 'last' for parameter 'resume': expected latest, none or an epoch number/);
});

test('training task resume none starts afresh', () => {
  const outputRoot = path.join(scratch, 'none');
  const killed = runTraining(outputRoot, 'epoch 2/4:');
  assert.equal(killed.signal, 'SIGKILL', killed.stderr);
  const args = ['--import', killHook, bhive, 'run', 'Training', '--config', config, '--output-dir', outputRoot];
  args.push('--data-dir', sharedData('jets-nanox'), '--model', 'mlp', '--epochs', '4', '--lr-schedule', 'cosine', '--resume', 'none');
  const fresh = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(fresh.status, 0, fresh.stderr);
  assert.doesNotMatch(fresh.stderr, /resuming/);
  assert.match(fresh.stderr, /epoch 1\/4:/);
  assert.match(fresh.stderr, /Training: backend tfjs \S+ wasm/);
});
