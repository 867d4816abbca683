import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { EpochMetrics, TrainOptions } from '../../src/models/classifier.js';
import { registerBuiltinModels } from '../../src/models/register-builtins.js';
import { createClassifier, loadClassifier } from '../../src/models/registry.js';
import type { ModelInputLayout } from '../../src/models/classifier.js';
import { smallLayout, syntheticJets } from '../models/synthetic-jets.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'bhive-train-loop-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

registerBuiltinModels();

const layout: ModelInputLayout = smallLayout();
const train = syntheticJets(layout, 300, 1);
const validation = syntheticJets(layout, 100, 2);

function options(outputDir: string, seed: number, extra: Partial<TrainOptions> = {}): TrainOptions {
  return { train, validation, epochs: 3, batchSize: 32, learningRate: 0.01, weightDecay: 0.01, seed, outputDir, ...extra };
}

/** Train an MLP with dropout (so the dropout seeds matter too) and return its saved weights. */
async function trainAndReadWeights(name: string, seed: number): Promise<Buffer> {
  const outputDir = path.join(scratch, name);
  const classifier = await createClassifier('mlp', layout, { seed: 5, dropout: 0.2 });
  await classifier.trainModel(options(outputDir, seed));
  await classifier.save(outputDir);
  classifier.dispose();
  return readFileSync(path.join(outputDir, 'weights.bin'));
}

test('training same seed gives identical weights', async () => {
  const first = await trainAndReadWeights('same-a', 11);
  const second = await trainAndReadWeights('same-b', 11);
  const third = await trainAndReadWeights('other', 12);
  assert.ok(first.length > 0);
  assert.ok(first.equals(second), 'two runs with seed 11 differ');
  assert.ok(!first.equals(third), 'seeds 11 and 12 gave the same weights');
});

test('training writes checkpoints, best model and history', async () => {
  const outputDir = path.join(scratch, 'outputs');
  const classifier = await createClassifier('mlp', layout, {});
  const tensorsBefore = tf.memory().numTensors;
  const epochs: EpochMetrics[] = [];
  const batches: Array<[number, number]> = [];
  const summary = await classifier.trainModel(
    options(outputDir, 1, {
      onEpoch: (m) => epochs.push(m),
      onBatch: (batch, numBatches) => batches.push([batch, numBatches]),
    }),
  );

  assert.equal(tf.memory().numTensors, tensorsBefore, 'training leaked tensors');
  assert.equal(summary.history.length, 3);
  assert.deepEqual(epochs.map((m) => m.epoch), [1, 2, 3]);
  for (const m of epochs) {
    assert.ok(Number.isFinite(m.trainLoss), `epoch ${m.epoch} train loss ${m.trainLoss}`);
    assert.ok(Number.isFinite(m.validationLoss), `epoch ${m.epoch} validation loss ${m.validationLoss}`);
    assert.ok(m.validationAccuracy >= 0, `epoch ${m.epoch} accuracy ${m.validationAccuracy}`);
    assert.ok(m.validationAccuracy <= 1, `epoch ${m.epoch} accuracy ${m.validationAccuracy}`);
    // Weights are uniform in [0.25, 1] (mean 0.625), so about 190 of 300 jets are drawn.
    assert.ok(m.numTrainJets > 100, `epoch ${m.epoch} drew ${m.numTrainJets} jets`);
    assert.ok(m.numTrainJets < 280, `epoch ${m.epoch} drew ${m.numTrainJets} jets`);
    assert.equal(m.numTrainJets % 32, 0, 'the last partial batch is dropped');
  }
  assert.ok(batches.length > 0);
  assert.equal(batches[0][0], 1);

  const bestLoss = Math.min(...summary.history.map((m) => m.validationLoss));
  assert.equal(summary.bestValidationLoss, bestLoss);
  assert.equal(summary.history[summary.bestEpoch - 1].validationLoss, bestLoss);
  assert.equal(summary.bestModelDir, path.join(outputDir, 'best_model'));

  for (const epoch of ['001', '002', '003']) {
    const dir = path.join(outputDir, `checkpoint_epoch_${epoch}`);
    for (const file of ['model.json', 'weights.bin', 'optimizer.json', 'optimizer.bin', 'training_state.json']) {
      assert.ok(existsSync(path.join(dir, file)), `${dir}/${file} missing`);
    }
  }
  const optimizerState = JSON.parse(readFileSync(path.join(outputDir, 'checkpoint_epoch_003', 'optimizer.json'), 'utf8'));
  assert.equal(optimizerState.step, summary.history.reduce((n, m) => n + m.numTrainJets / 32, 0));

  const history = JSON.parse(readFileSync(path.join(outputDir, 'history.json'), 'utf8'));
  assert.equal(history.bestEpoch, summary.bestEpoch);
  assert.equal(history.epochs.length, 3);

  // The best model reproduces the validation loss recorded for its epoch.
  const best = await loadClassifier(summary.bestModelDir);
  const result = await best.validateModel(validation);
  assert.ok(Math.abs(result.loss - bestLoss) < 1e-5, `${result.loss} vs ${bestLoss}`);
  best.dispose();
  classifier.dispose();
});

test('training keeps recent checkpoints only', async () => {
  const outputDir = path.join(scratch, 'keep');
  const classifier = await createClassifier('mlp', layout, {});
  await classifier.trainModel(options(outputDir, 1, { keepCheckpoints: 2 }));
  assert.ok(!existsSync(path.join(outputDir, 'checkpoint_epoch_001')));
  assert.ok(existsSync(path.join(outputDir, 'checkpoint_epoch_002')));
  assert.ok(existsSync(path.join(outputDir, 'checkpoint_epoch_003')));
  assert.ok(existsSync(path.join(outputDir, 'best_model', 'model.json')));
  classifier.dispose();
});

test('training rejects invalid options', async () => {
  const classifier = await createClassifier('mlp', layout, {});
  await assert.rejects(classifier.trainModel(options(path.join(scratch, 'bad'), 1, { batchSize: 0 })), /batchSize/);
  await assert.rejects(classifier.trainModel(options(path.join(scratch, 'bad'), 1, { epochs: 1.5 })), /epochs/);
  await assert.rejects(classifier.trainModel(options(path.join(scratch, 'bad'), 1, { keepCheckpoints: 0 })), /keepCheckpoints/);
  classifier.dispose();
});

test('weighted loss uses every weighted jet', async () => {
  const outputDir = path.join(scratch, 'weighted');
  const classifier = await createClassifier('mlp', layout, {});
  const summary = await classifier.trainModel(options(outputDir, 1, { sampling: 'weighted_loss', epochs: 2 }));
  // All 300 jets have a positive weight; the last partial batch of 300 − 9·32 = 12 jets is dropped.
  assert.deepEqual(summary.history.map((m) => m.numTrainJets), [288, 288]);
  for (const m of summary.history) assert.ok(Number.isFinite(m.trainLoss) && m.trainAccuracy >= 0 && m.trainAccuracy <= 1);
  classifier.dispose();
});

test('early stopping ends training', async () => {
  const outputDir = path.join(scratch, 'early');
  const classifier = await createClassifier('mlp', layout, {});
  // No decrease can reach a min_delta of 1e9, so only epoch 1 counts as an improvement.
  const summary = await classifier.trainModel(options(outputDir, 1, { epochs: 5, earlyStoppingPatience: 2, earlyStoppingMinDelta: 1e9 }));
  assert.deepEqual(summary.history.map((m) => m.epoch), [1, 2, 3]);
  assert.equal(summary.stoppedEarly, true);
  assert.ok(!existsSync(path.join(outputDir, 'checkpoint_epoch_004')));
  classifier.dispose();
});

test('every optimizer and schedule trains', async () => {
  for (const optimizer of ['adam', 'adamw', 'sgd', 'radam'] as const) {
    for (const schedule of ['constant', 'epoch_lin_decay', 'batch_decay', 'cosine'] as const) {
      const outputDir = path.join(scratch, `${optimizer}-${schedule}`);
      const classifier = await createClassifier('mlp', layout, {});
      const summary = await classifier.trainModel(options(outputDir, 1, { epochs: 2, optimizer, schedule, gradientClipNorm: 1 }));
      assert.ok(summary.history.every((m) => Number.isFinite(m.trainLoss)), `${optimizer} ${schedule}`);
      const header = JSON.parse(readFileSync(path.join(outputDir, 'checkpoint_epoch_002', 'optimizer.json'), 'utf8'));
      assert.equal(header.optimizer, optimizer);
      classifier.dispose();
    }
  }
});

test('learning rate in history follows schedule', async () => {
  const outputDir = path.join(scratch, 'lr-history');
  const classifier = await createClassifier('mlp', layout, {});
  const summary = await classifier.trainModel(options(outputDir, 1, { epochs: 4, schedule: 'epoch_lin_decay', lrDecayFactor: 0.5 }));
  // L = max(1, int(1.2)) = 1, so only the last epoch runs at 0.01·0.5.
  assert.deepEqual(summary.history.map((m) => m.learningRate), [0.01, 0.01, 0.01, 0.005]);
  classifier.dispose();
});
