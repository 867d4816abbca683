import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import type { TrainOptions } from '../../src/models/classifier.js';
import { registerBuiltinModels } from '../../src/models/register-builtins.js';
import { createClassifier } from '../../src/models/registry.js';
import { resumeLayout, resumeModelOptions, resumeTrainOptions } from './resume-setup.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'bhive-resume-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
registerBuiltinModels();

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'resume-child.js');

/** Train with `extra` options into `name` and return the final weights as floats. */
async function train(name: string, extra: Partial<TrainOptions> = {}): Promise<{ weights: Float32Array; epochs: number[] }> {
  const outputDir = path.join(scratch, name);
  const classifier = await createClassifier('mlp', resumeLayout, resumeModelOptions);
  const summary = await classifier.trainModel(resumeTrainOptions(outputDir, extra));
  await classifier.save(path.join(outputDir, 'final'));
  classifier.dispose();
  return { weights: readWeights(path.join(outputDir, 'final')), epochs: summary.history.map((m) => m.epoch) };
}

function readWeights(dir: string): Float32Array {
  const bytes = readFileSync(path.join(dir, 'weights.bin'));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

test('resume after SIGKILL matches uninterrupted run', async () => {
  const reference = await train('uninterrupted');
  const killedDir = path.join(scratch, 'killed');
  const child = spawnSync(process.execPath, [childScript], {
    env: { ...process.env, BHIVE_RESUME_CHILD_DIR: killedDir, BHIVE_RESUME_KILL_AFTER: '2' },
    encoding: 'utf8',
  });
  assert.equal(child.signal, 'SIGKILL', `the child exited with status ${child.status}: ${child.stderr}`);
  assert.ok(existsSync(path.join(killedDir, 'checkpoint_epoch_002', 'training_state.json')));
  assert.ok(!existsSync(path.join(killedDir, 'checkpoint_epoch_003')));

  const resumed = await train('killed', { resumeFrom: 'latest' });
  assert.deepEqual(resumed.epochs, [1, 2, 3, 4]);
  const difference = maxDifference(resumed.weights, reference.weights);
  assert.ok(difference <= 1e-6, `resumed weights differ by ${difference}`);
});

test('resume from chosen epoch repeats later epochs', async () => {
  const reference = await train('uninterrupted');
  const again = await train('uninterrupted', { resumeFrom: 2 });
  assert.deepEqual(again.epochs, [1, 2, 3, 4]);
  assert.ok(maxDifference(again.weights, reference.weights) <= 1e-6);
});

test('resume latest without checkpoints starts afresh', async () => {
  const fresh = await train('fresh', { resumeFrom: 'latest' });
  const reference = await train('fresh-reference');
  assert.deepEqual(fresh.epochs, [1, 2, 3, 4]);
  assert.equal(maxDifference(fresh.weights, reference.weights), 0);
});

test('resume rejects missing epoch and changed settings', async () => {
  await train('settings');
  await assert.rejects(train('settings', { resumeFrom: 7 }), /no checkpoint_epoch_007.*available epochs: 1, 2, 3, 4/);
  await assert.rejects(train('settings', { resumeFrom: 2, learningRate: 0.05 }), /learningRate 0\.02, this run uses 0\.05/);
});
