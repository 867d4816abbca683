/**
 * The training loop for tfjs models. Each epoch draws the training jets (stochastic sampling
 * or a weighted loss), takes optimiser steps with the scheduled learning rate, then computes
 * the weighted validation loss and accuracy and writes a checkpoint, the best model so far and
 * the history. Training can continue from any checkpoint.
 *
 * All randomness (sampling, shuffling, dropout seeds) comes from one `Random` seeded with
 * `options.seed`, and its state is part of each checkpoint. Two runs with the same seed, data
 * and initial weights therefore give identical weights on the same backend, also when one of
 * them was stopped and resumed.
 */

import { cp } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, InputError } from '../errors.js';
import type { EpochMetrics, TrainOptions, TrainSummary } from '../models/classifier.js';
import { Random } from '../random.js';
import { readOptimizerState, writeOptimizerState } from './checkpoints.js';
import type { TrainingSettings } from './checkpoints.js';
import { initialLoopState, loopSummary, recordEpoch, resumeLoopState, stoppedBeforeStart } from './loop-state.js';
import type { CheckpointStore } from './loop-state.js';
import type { Optimizer } from './optimizer.js';
import { createOptimizer, parseOptimizerName } from './optimizers.js';
import { parseScheduleName } from './schedules.js';
import type { ScheduleOptions } from './schedules.js';
import { trainEpoch } from './train-epoch.js';
import { ReplicaPool } from './replicas/replica-pool.js';
import type { TrainableModel } from './trainable.js';

/** Train `model` with `options` and return the history and the best epoch. */
export async function trainModelLoop(model: TrainableModel, options: TrainOptions): Promise<TrainSummary> {
  checkTrainOptions(options);
  model.checkData(options.train);
  model.checkData(options.validation);

  const settings = trainingSettings(options);
  const schedule = scheduleOptions(options, settings);
  const random = new Random(options.seed);
  const optimizer = createOptimizer(parseOptimizerName(String(settings.optimizer)), model.optimizedParameters(), {
    learningRate: options.learningRate,
    weightDecay: options.weightDecay,
    momentum: Number(settings.momentum),
  });
  const store = tfjsCheckpointStore(model, optimizer);
  let state = initialLoopState();
  let replicas: ReplicaPool | undefined;

  try {
    replicas = await startReplicas(model, options);
    if (options.resumeFrom !== undefined) state = (await resumeLoopState(options, settings, random, store)) ?? state;
    const resumedFromEpoch = state.epoch;
    let stoppedEarly = stoppedBeforeStart(state, options);

    for (let epoch = state.epoch + 1; epoch <= options.epochs && !stoppedEarly; epoch++) {
      const start = performance.now();
      const totals = await trainEpoch(model, optimizer, options, schedule, epoch, random, replicas);
      const trainSeconds = (performance.now() - start) / 1000;
      const validation = await model.validateModel(options.validation);
      state.step = optimizer.step;
      const metrics: EpochMetrics = {
        epoch,
        trainLoss: totals.weightSum > 0 ? totals.loss / totals.weightSum : Number.NaN,
        trainAccuracy: totals.weightSum > 0 ? totals.correct / totals.weightSum : Number.NaN,
        validationLoss: validation.loss,
        validationAccuracy: validation.accuracy,
        learningRate: totals.learningRate,
        numTrainJets: totals.jets,
        jetsPerSecond: trainSeconds > 0 ? totals.jets / trainSeconds : 0,
        seconds: (performance.now() - start) / 1000,
      };
      stoppedEarly = await recordEpoch(state, metrics, options, settings, random, store);
    }
    return loopSummary(state, resumedFromEpoch, stoppedEarly, options.outputDir);
  } finally {
    optimizer.dispose();
    await replicas?.close();
  }
}

/** Checkpoints of a tfjs model: model.json and weights.bin, plus optimizer.json in a checkpoint. */
function tfjsCheckpointStore(model: TrainableModel, optimizer: Optimizer): CheckpointStore {
  return {
    saveModel: (dir) => model.save(dir),
    async saveCheckpoint(dir) {
      await model.save(dir);
      await writeOptimizerState(dir, optimizer);
    },
    async restoreCheckpoint(dir) {
      const { optimizer: optimizerName, state: slots } = await readOptimizerState(dir);
      if (optimizerName !== optimizer.name) {
        throw new InputError(`cannot resume from ${dir}: its optimiser state is for '${optimizerName}', this run uses '${optimizer.name}'`, { file: dir });
      }
      await model.restore(dir);
      optimizer.setSlots(slots);
    },
    async copyModel(checkpointDir, target) {
      for (const file of ['model.json', 'weights.bin']) await cp(path.join(checkpointDir, file), path.join(target, file));
    },
  };
}

/** Start the worker threads for `options.trainThreads` above 1; undefined otherwise. */
async function startReplicas(model: TrainableModel, options: TrainOptions): Promise<ReplicaPool | undefined> {
  const threads = options.trainThreads ?? 1;
  if (threads <= 1) return undefined;
  if (model.replicaSpec === undefined) {
    throw new ConfigError(`this model cannot be copied into worker threads; set trainThreads (train_threads) to 1`);
  }
  return ReplicaPool.start(model.replicaSpec(), threads - 1);
}

/** Build the learning-rate schedule of a run from its options and their resolved `settings`. */
export function scheduleOptions(options: TrainOptions, settings: TrainingSettings): ScheduleOptions {
  return {
    name: parseScheduleName(String(settings.schedule)),
    baseLearningRate: options.learningRate,
    epochs: options.epochs,
    decayFactor: Number(settings.lrDecayFactor),
  };
}

/** Collect the options that change the result, with defaults filled in. A checkpoint resumes only with the same values. */
export function trainingSettings(options: TrainOptions): TrainingSettings {
  return {
    epochs: options.epochs,
    batchSize: options.batchSize,
    learningRate: options.learningRate,
    weightDecay: options.weightDecay,
    seed: options.seed,
    optimizer: options.optimizer ?? 'adamw',
    momentum: options.momentum ?? 0.9,
    schedule: options.schedule ?? 'constant',
    lrDecayFactor: options.lrDecayFactor ?? 0.1,
    gradientClipNorm: options.gradientClipNorm ?? 0,
    sampling: options.sampling ?? 'stochastic',
    // Recorded only above 1, so checkpoints written before the option existed still resume.
    ...((options.trainThreads ?? 1) > 1 ? { trainThreads: options.trainThreads ?? 1 } : {}),
  };
}

/** Check the numeric training options and that both sets have jets; throws an InputError naming the option. */
export function checkTrainOptions(options: TrainOptions): void {
  const positiveInteger = (name: string, value: number): void => {
    if (!Number.isInteger(value) || value < 1) {
      throw new InputError(`training option ${name} must be a positive integer; found ${value}`);
    }
  };
  positiveInteger('epochs', options.epochs);
  positiveInteger('batchSize', options.batchSize);
  if (options.trainThreads !== undefined) {
    positiveInteger('trainThreads', options.trainThreads);
    if (options.trainThreads > options.batchSize) {
      throw new InputError(`training option trainThreads (${options.trainThreads}) must not exceed batchSize (${options.batchSize}): every thread needs jets`);
    }
  }
  if (options.keepCheckpoints !== undefined && !(Number.isInteger(options.keepCheckpoints) && options.keepCheckpoints >= 1)) {
    throw new InputError(`training option keepCheckpoints must be a positive integer or undefined; found ${options.keepCheckpoints}`);
  }
  if (options.resumeFrom !== undefined && options.resumeFrom !== 'latest' && !(Number.isInteger(options.resumeFrom) && options.resumeFrom >= 1)) {
    throw new InputError(`training option resumeFrom must be 'latest' or an epoch number from 1; found ${String(options.resumeFrom)}`);
  }
  if (!(options.learningRate > 0)) throw new InputError(`training option learningRate must be above 0; found ${options.learningRate}`);
  if (!(options.weightDecay >= 0)) throw new InputError(`training option weightDecay must be 0 or more; found ${options.weightDecay}`);
  if (options.lrDecayFactor !== undefined && !(options.lrDecayFactor > 0)) {
    throw new InputError(`training option lrDecayFactor must be above 0; found ${options.lrDecayFactor}`);
  }
  if (options.momentum !== undefined && !(options.momentum >= 0 && options.momentum < 1)) {
    throw new InputError(`training option momentum must be in [0, 1); found ${options.momentum}`);
  }
  if (options.gradientClipNorm !== undefined && !(options.gradientClipNorm >= 0)) {
    throw new InputError(`training option gradientClipNorm must be 0 (off) or more; found ${options.gradientClipNorm}`);
  }
  const patience = options.earlyStoppingPatience;
  if (patience !== undefined && !(Number.isInteger(patience) && patience >= 0)) {
    throw new InputError(`training option earlyStoppingPatience must be an integer from 0 (off); found ${patience}`);
  }
  if (options.earlyStoppingMinDelta !== undefined && !(options.earlyStoppingMinDelta >= 0)) {
    throw new InputError(`training option earlyStoppingMinDelta must be 0 or more; found ${options.earlyStoppingMinDelta}`);
  }
  if (options.train.numJets === 0) throw new InputError('the training set has no jets');
  if (options.validation.numJets === 0) throw new InputError('the validation set has no jets');
}
