/**
 * The training loop for external workers. bhive keeps everything that decides which jets a
 * model receives and when: the per-epoch draw (stochastic sampling or weighted loss, from
 * src/training/train-epoch.ts), the batches, the learning-rate schedule, one dropout seed per
 * batch, validation, early stopping and the checkpoint layout of src/training/checkpoints.ts.
 * The worker only runs the forward pass, the loss and the optimiser step.
 *
 * The `Random` seeded with `options.seed` is consumed exactly as the tfjs loop consumes it, so
 * an external model trained with the same seed sees the same jets in the same batches.
 */

import { cp } from 'node:fs/promises';
import path from 'node:path';
import { Random } from '../../random.js';
import { initialLoopState, loopSummary, recordEpoch, resumeLoopState, stoppedBeforeStart } from '../../training/loop-state.js';
import type { CheckpointStore } from '../../training/loop-state.js';
import { epochIndices } from '../../training/train-epoch.js';
import { checkTrainOptions, scheduleOptions, trainingSettings } from '../../training/train-loop.js';
import { batchRanges } from '../../training/sampling.js';
import { learningRateAt } from '../../training/schedules.js';
import type { EpochMetrics, TrainOptions, TrainSummary, ValidationResult } from '../classifier.js';
import type { JetArrays } from '../../dataset/types.js';
import { readExternalHeader, writeExternalHeader } from './saved-model.js';

/** The calls that the loop makes on an external classifier. */
export interface ExternalTrainable {
  checkData(data: JetArrays): void;
  /** Send `train_begin` with the optimiser settings. */
  beginTraining(options: TrainOptions): Promise<void>;
  /** Run one optimiser step on the jets at `indices`; returns the batch's loss, correct sum and weight sum. */
  trainBatch(
    data: JetArrays,
    indices: Int32Array,
    step: { epoch: number; batch: number; numBatches: number; learningRate: number; seed: number; weighted: boolean },
  ): Promise<{ loss: number; correct: number; weightSum: number }>;
  validateModel(data: JetArrays): Promise<ValidationResult>;
  /** Write model.json and the worker's files into `dir`, with the optimiser state when `withOptimizer`. */
  saveTo(dir: string, withOptimizer: boolean): Promise<void>;
  /** Load the weights (and the optimiser state when `withOptimizer`) that `saveTo` wrote to `dir`. */
  loadFrom(dir: string, withOptimizer: boolean): Promise<void>;
}

/** Train `model` with `options` and return the history and the best epoch. */
export async function trainExternalLoop(model: ExternalTrainable, options: TrainOptions): Promise<TrainSummary> {
  checkTrainOptions(options);
  model.checkData(options.train);
  model.checkData(options.validation);
  const settings = trainingSettings(options);
  const schedule = scheduleOptions(options, settings);
  const random = new Random(options.seed);
  const store = externalCheckpointStore(model);
  let state = initialLoopState();

  await model.beginTraining(options);
  if (options.resumeFrom !== undefined) state = (await resumeLoopState(options, settings, random, store)) ?? state;
  const resumedFromEpoch = state.epoch;
  let stoppedEarly = stoppedBeforeStart(state, options);
  const weighted = options.sampling === 'weighted_loss';

  for (let epoch = state.epoch + 1; epoch <= options.epochs && !stoppedEarly; epoch++) {
    const start = performance.now();
    const indices = epochIndices(options, random);
    const ranges = batchRanges(indices.length, options.batchSize);
    let lossSum = 0;
    let correctSum = 0;
    let weightSum = 0;
    let jets = 0;
    let learningRate = options.learningRate;
    for (let b = 0; b < ranges.length; b++) {
      // Drawn before the step, as the tfjs loop draws its dropout seed, so both consume `random` alike.
      const seed = random.nextUint32();
      learningRate = learningRateAt(schedule, { epoch, batch: b, numBatches: ranges.length });
      const batch = indices.subarray(ranges[b][0], ranges[b][1]);
      const result = await model.trainBatch(options.train, batch, { epoch, batch: b, numBatches: ranges.length, learningRate, seed, weighted });
      lossSum += result.loss * result.weightSum;
      correctSum += result.correct;
      weightSum += result.weightSum;
      jets += batch.length;
      state.step++;
      options.onBatch?.(b + 1, ranges.length, result.loss);
    }
    const trainSeconds = (performance.now() - start) / 1000;
    const validation = await model.validateModel(options.validation);

    const metrics: EpochMetrics = {
      epoch,
      trainLoss: weightSum > 0 ? lossSum / weightSum : Number.NaN,
      trainAccuracy: weightSum > 0 ? correctSum / weightSum : Number.NaN,
      validationLoss: validation.loss,
      validationAccuracy: validation.accuracy,
      learningRate,
      numTrainJets: jets,
      jetsPerSecond: trainSeconds > 0 ? jets / trainSeconds : 0,
      seconds: (performance.now() - start) / 1000,
    };
    stoppedEarly = await recordEpoch(state, metrics, options, settings, random, store);
  }
  return loopSummary(state, resumedFromEpoch, stoppedEarly, options.outputDir);
}

/** Checkpoints of an external model: model.json and the worker's files, with its optimiser files in a checkpoint. */
function externalCheckpointStore(model: ExternalTrainable): CheckpointStore {
  return {
    saveModel: (dir) => model.saveTo(dir, false),
    saveCheckpoint: (dir) => model.saveTo(dir, true),
    restoreCheckpoint: (dir) => model.loadFrom(dir, true),
    async copyModel(checkpointDir, target) {
      const header = await readExternalHeader(checkpointDir);
      for (const file of header.external.files) await cp(path.join(checkpointDir, file), path.join(target, file));
      await writeExternalHeader(target, { ...header, external: { ...header.external, optimizerFiles: [] } });
    },
  };
}
