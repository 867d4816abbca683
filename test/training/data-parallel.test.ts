import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainOptions } from '../../src/models/classifier.js';
import { registerBuiltinModels } from '../../src/models/register-builtins.js';
import { createClassifier } from '../../src/models/registry.js';
import { TfjsClassifier } from '../../src/models/tfjs/tfjs-classifier.js';
import { shareGradients } from '../../src/training/share-gradients.js';
import { shareCuts } from '../../src/training/train-epoch.js';
import { resumeLayout, resumeModelOptions, resumeTrainOptions } from './resume-setup.js';
import { syntheticJets } from '../models/synthetic-jets.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'bhive-data-parallel-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
registerBuiltinModels();

test('share cuts split batches evenly', () => {
  assert.deepEqual(shareCuts(10, 1), [[0, 10]]);
  assert.deepEqual(shareCuts(10, 2), [[0, 5], [5, 10]]);
  assert.deepEqual(shareCuts(11, 2), [[0, 5], [5, 11]]);
  assert.deepEqual(shareCuts(11, 3), [[0, 3], [3, 7], [7, 11]]);
  assert.deepEqual(shareCuts(1, 2), [[0, 0], [0, 1]]);
});

test('share gradients add up to batch', async () => {
  const classifier = await createClassifier('mlp', resumeLayout, { seed: 5 });
  assert.ok(classifier instanceof TfjsClassifier);
  const data = syntheticJets(resumeLayout, 40, 7);
  const indices = Int32Array.from({ length: 40 }, (_, i) => i);
  const weights = Float32Array.from({ length: 40 }, (_, i) => 0.5 + (i % 3) * 0.25);
  let batchWeight = 0;
  for (const w of weights) batchWeight += w;
  const variables = classifier.optimizedParameters().map((p) => p.variable);
  // Inference mode: batch normalisation uses the moving averages, so the shares are independent.
  const mode = { training: false };
  const gradientsOf = (from: number, to: number): Float32Array[] =>
    tf.tidy(() => {
      const r = shareGradients(classifier, {
        data, indices: indices.subarray(from, to), labels: data.label.subarray(from, to),
        weights: weights.subarray(from, to), batchWeight, mode,
      }, variables);
      return r.gradients.map((g) => g.dataSync<'float32'>().slice());
    });
  const whole = gradientsOf(0, 40);
  const first = gradientsOf(0, 17);
  const second = gradientsOf(17, 40);
  let largest = 0;
  let difference = 0;
  whole.forEach((g, k) => {
    for (let i = 0; i < g.length; i++) {
      largest = Math.max(largest, Math.abs(g[i]));
      difference = Math.max(difference, Math.abs(g[i] - first[k][i] - second[k][i]));
    }
  });
  assert.ok(largest > 1e-4, 'the gradients are all zero, so the test would prove nothing');
  assert.ok(difference < 1e-6 * Math.max(1, largest), `the shares' gradients differ from the batch's by ${difference}`);
  classifier.dispose();
});

async function trainWithThreads(name: string, extra: Partial<TrainOptions>): Promise<{ weights: Float32Array; losses: number[] }> {
  const outputDir = path.join(scratch, name);
  const classifier = await createClassifier('mlp', resumeLayout, resumeModelOptions);
  const summary = await classifier.trainModel(resumeTrainOptions(outputDir, { trainThreads: 2, ...extra }));
  await classifier.save(path.join(outputDir, 'final'));
  classifier.dispose();
  const bytes = readFileSync(path.join(outputDir, 'final', 'weights.bin'));
  return {
    weights: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
    losses: summary.history.map((m) => m.trainLoss),
  };
}

test('two-thread training reproduces and resumes', async () => {
  const first = await trainWithThreads('a', {});
  const second = await trainWithThreads('b', {});
  assert.deepEqual(second.weights, first.weights, 'the same seed gave different weights');
  assert.ok(first.losses[3] < first.losses[0], `the training loss did not fall: ${first.losses.join(', ')}`);

  const single = await trainWithThreads('single', { trainThreads: 1 });
  assert.notDeepEqual(single.weights, first.weights, 'one and two threads should differ through the batch-normalisation statistics');

  // Continue from the checkpoint of epoch 2 in the same directory: epochs 3 and 4 again.
  const resumed = await trainWithThreads('a', { resumeFrom: 2 });
  let difference = 0;
  for (let i = 0; i < first.weights.length; i++) difference = Math.max(difference, Math.abs(resumed.weights[i] - first.weights[i]));
  assert.ok(difference <= 1e-6, `weights after resuming from epoch 2 differ by ${difference}`);
});
