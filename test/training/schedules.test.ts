import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initTfjsBackend } from '../../src/models/tfjs/backend.js';
import { updateEarlyStopping, initialEarlyStoppingState } from '../../src/training/early-stopping.js';
import { decayEpochs, learningRateAt, parseScheduleName } from '../../src/training/schedules.js';
import type { ScheduleOptions } from '../../src/training/schedules.js';
import { clipByGlobalNorm } from '../../src/training/train-epoch.js';

const close = (actual: number, expected: number, what: string): void => {
  assert.ok(Math.abs(actual - expected) <= 1e-12 + 1e-9 * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
};

test('epoch_lin_decay lowers last 30% of epochs', () => {
  const schedule: ScheduleOptions = { name: 'epoch_lin_decay', baseLearningRate: 1e-3, epochs: 10, decayFactor: 0.1 };
  assert.equal(decayEpochs(10), 3);
  for (let epoch = 1; epoch <= 7; epoch++) close(learningRateAt(schedule, { epoch, batch: 5, numBatches: 10 }), 1e-3, `epoch ${epoch}`);
  close(learningRateAt(schedule, { epoch: 8, batch: 0, numBatches: 10 }), 1e-3 * 0.1 ** (1 / 3), 'epoch 8');
  close(learningRateAt(schedule, { epoch: 9, batch: 9, numBatches: 10 }), 1e-3 * 0.1 ** (2 / 3), 'epoch 9');
  close(learningRateAt(schedule, { epoch: 10, batch: 0, numBatches: 10 }), 1e-4, 'epoch 10');
});

test('epoch_lin_decay with two epochs decays once', () => {
  const schedule: ScheduleOptions = { name: 'epoch_lin_decay', baseLearningRate: 0.01, epochs: 2, decayFactor: 0.5 };
  assert.equal(decayEpochs(2), 1);
  close(learningRateAt(schedule, { epoch: 1, batch: 0, numBatches: 4 }), 0.01, 'epoch 1');
  close(learningRateAt(schedule, { epoch: 2, batch: 0, numBatches: 4 }), 0.005, 'epoch 2');
});

test('batch_decay and cosine follow formulas', () => {
  const decay: ScheduleOptions = { name: 'batch_decay', baseLearningRate: 0.01, epochs: 2, decayFactor: 0.01 };
  close(learningRateAt(decay, { epoch: 1, batch: 0, numBatches: 4 }), 0.01, 'first step');
  close(learningRateAt(decay, { epoch: 1, batch: 2, numBatches: 4 }), 0.01 * 0.01 ** 0.25, 'half an epoch');
  close(learningRateAt(decay, { epoch: 2, batch: 0, numBatches: 4 }), 0.001, 'second epoch');

  const cosine: ScheduleOptions = { name: 'cosine', baseLearningRate: 0.02, epochs: 3 };
  close(learningRateAt(cosine, { epoch: 1, batch: 0, numBatches: 4 }), 0.005, 'warm-up start');
  close(learningRateAt(cosine, { epoch: 1, batch: 3, numBatches: 4 }), 0.02, 'warm-up end');
  close(learningRateAt(cosine, { epoch: 2, batch: 0, numBatches: 4 }), 0.02, 'after warm-up');
  close(learningRateAt(cosine, { epoch: 3, batch: 0, numBatches: 4 }), 0.01, 'half way');
  close(learningRateAt(cosine, { epoch: 3, batch: 2, numBatches: 4 }), 0.01 * (1 + Math.cos(0.75 * Math.PI)), 'three quarters');
  close(learningRateAt({ name: 'constant', baseLearningRate: 0.3, epochs: 3 }, { epoch: 3, batch: 1, numBatches: 4 }), 0.3, 'constant');
});

test('unknown schedule is rejected', () => {
  assert.throws(() => parseScheduleName('step'), /unknown learning-rate schedule 'step'; known schedules: constant/);
});

test('early stopping honours patience and min_delta', () => {
  const state = initialEarlyStoppingState();
  const stops = [1, 0.9, 0.95, 0.89, 0.91].map((loss) => updateEarlyStopping(state, loss, 2, 0.02));
  // 0.89 is not below 0.9 − 0.02, so epochs 3 and 4 bring no improvement.
  assert.deepEqual(stops, [false, false, false, true, true]);
  assert.equal(state.bestLoss, 0.9);
  const never = initialEarlyStoppingState();
  assert.deepEqual([1, 2, 3].map((loss) => updateEarlyStopping(never, loss, 0, 0)), [false, false, false]);
});

test('gradient clipping scales to global norm', async () => {
  await initTfjsBackend('wasm');
  const [a, b] = tf.tidy(() => clipByGlobalNorm([tf.tensor1d([3, 0]), tf.tensor1d([4])], 1).map((g) => g.dataSync().slice()));
  // Global norm 5, so every gradient is multiplied by 1/(5 + 1e-6).
  assert.ok(Math.abs(a[0] - 0.6) < 1e-6, `${a[0]}`);
  assert.equal(a[1], 0);
  assert.ok(Math.abs(b[0] - 0.8) < 1e-6, `${b[0]}`);
  const unchanged = tf.tidy(() => clipByGlobalNorm([tf.tensor1d([3, 0]), tf.tensor1d([4])], 10).map((g) => Array.from(g.dataSync())));
  assert.deepEqual(unchanged, [[3, 0], [4]]);
});
