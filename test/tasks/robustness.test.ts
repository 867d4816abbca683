import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { repoRoot, sharedData } from '../helpers/paths.js';

const bhive = path.join(repoRoot(), 'bin', 'bhive.js');
const config = path.join(repoRoot(), 'configs', 'nanox_deepjet.yml');

function args(outputRoot: string, task: string, extra: string[]): string[] {
  return [bhive, 'run', task, '--config', config, '--output-dir', outputRoot, '--data-dir', sharedData('jets-nanox'), '--quiet', ...extra];
}

function runSync(outputRoot: string, task: string, extra: string[]): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, args(outputRoot, task, extra), { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

test('SIGKILL during training is redone on rerun', async () => {
  const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-kill-'));
  const trainingParent = path.join(outputRoot, 'Training', 'nanox_deepjet');
  const child = spawn(process.execPath, args(outputRoot, 'Training', ['--model', 'mlp', '--epochs', '400']), { stdio: 'ignore' });
  const exited = exitOf(child);
  // Wait until the first checkpoint exists inside the temporary training directory.
  const deadline = Date.now() + 60_000;
  let started = false;
  while (!started && Date.now() < deadline) {
    await sleep(100);
    started = entries(trainingParent).some((name) => name.startsWith('.tmp-') && entries(path.join(trainingParent, name)).some((f) => f.startsWith('checkpoint_')));
  }
  assert.ok(started, 'training did not start within 60 s');
  child.kill('SIGKILL');
  await exited;

  const leftovers = entries(trainingParent);
  assert.ok(leftovers.some((name) => name.startsWith('.tmp-')), `expected the killed run's temporary folder, found ${leftovers.join(', ')}`);
  assert.ok(!leftovers.some((name) => !name.startsWith('.tmp-') && !name.endsWith('.lock')), `a complete-looking output was left: ${leftovers.join(', ')}`);

  const rerun = runSync(outputRoot, 'Training', ['--model', 'mlp', '--epochs', '3']);
  assert.equal(rerun.status, 0, rerun.stderr);
  const rerunEntries = entries(trainingParent);
  const complete = rerunEntries.filter((name) => !name.startsWith('.tmp-') && !name.endsWith('.lock'));
  assert.equal(complete.length, 1, rerunEntries.join(', '));

  // The killed run asked for 400 epochs: rerunning exactly that must redo it, not reuse anything partial.
  const redo = spawnSync(process.execPath, args(outputRoot, 'Training', ['--model', 'mlp', '--epochs', '400', '--dry-run']), { encoding: 'utf8' });
  assert.match(redo.stdout, /^run +Training/m);
  assert.match(redo.stdout, /^reuse +DatasetConstruction/m);
});

test('SIGTERM removes the unfinished output and lock', async () => {
  const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-term-'));
  const trainingParent = path.join(outputRoot, 'Training', 'nanox_deepjet');
  const child = spawn(process.execPath, args(outputRoot, 'Training', ['--model', 'mlp', '--epochs', '400']), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = exitOf(child);
  const deadline = Date.now() + 60_000;
  while (!entries(trainingParent).some((name) => name.startsWith('.tmp-')) && Date.now() < deadline) await sleep(100);
  child.kill('SIGTERM');
  assert.equal(await exited, 143);
  assert.match(stderr, /interrupted by SIGTERM; removed the unfinished output/);
  // Training keeps its finished epochs in <output>.partial/ so that a rerun resumes from them.
  assert.deepEqual(entries(trainingParent).filter((name) => !name.endsWith('.partial')), []);
});

test('concurrent runs of one task share one output', async () => {
  const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-concurrent-'));
  const extra = ['--model', 'mlp', '--epochs', '5'];
  const first = spawn(process.execPath, args(outputRoot, 'Training', extra), { stdio: ['ignore', 'ignore', 'pipe'] });
  const second = spawn(process.execPath, args(outputRoot, 'Training', extra), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  first.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  second.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [a, b] = await Promise.all([exitOf(first), exitOf(second)]);
  assert.equal(a, 0, stderr);
  assert.equal(b, 0, stderr);
  // Whichever run waited reports the shared tasks as reused, not as run twice.
  const ranCounts = [...stderr.matchAll(/(\d+) task\(s\) ran, (\d+) reused/g)].map((m) => Number(m[1]));
  assert.equal(ranCounts.length, 2, stderr);
  assert.equal(ranCounts[0] + ranCounts[1], 2, stderr);
  for (const task of ['DatasetConstruction', 'Training']) {
    const parent = path.join(outputRoot, task, 'nanox_deepjet');
    const names = entries(parent);
    assert.deepEqual(names.filter((name) => name.startsWith('.tmp-') || name.endsWith('.lock')), [], names.join(', '));
    assert.equal(names.length, 1, names.join(', '));
    const provenance = JSON.parse(readFileSync(path.join(parent, names[0], 'provenance.json'), 'utf8')) as { task: string };
    assert.equal(provenance.task, task);
  }
  const trainingParent = path.join(outputRoot, 'Training', 'nanox_deepjet');
  const history = JSON.parse(readFileSync(path.join(trainingParent, entries(trainingParent)[0], 'history.json'), 'utf8')) as { epochs: unknown[] };
  assert.equal(history.epochs.length, 5);
});

test('changed worker count reuses outputs', () => {
  const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-workers-'));
  const extra = ['--model', 'mlp', '--epochs', '2'];
  const parallel = runSync(outputRoot, 'WorkingPoint', [...extra, '--workers', '2']);
  assert.equal(parallel.status, 0, parallel.stderr);
  assert.match(parallel.stderr, /6 task\(s\) ran, 0 reused/);
  const serial = runSync(outputRoot, 'WorkingPoint', [...extra, '--workers', '1']);
  assert.equal(serial.status, 0, serial.stderr);
  assert.match(serial.stderr, /0 task\(s\) ran, 6 reused/);
});

test('remove-output redoes the chosen depth', () => {
  const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-remove-'));
  const extra = ['--model', 'mlp', '--epochs', '2'];
  assert.equal(runSync(outputRoot, 'WorkingPoint', extra).status, 0);
  const again = runSync(outputRoot, 'WorkingPoint', [...extra, '--remove-output', '1']);
  assert.equal(again.status, 0, again.stderr);
  // Depth 1 removes WorkingPoint and its direct requirements, Inference and ROCCurve.
  assert.match(again.stderr, /3 task\(s\) ran, 3 reused/);
});
