/**
 * The training loop for external workers. bhive keeps everything that decides which jets a
 * model sees and when: the per-epoch draw (stochastic sampling or weighted loss, from
 * src/training/train-epoch.ts), the batches, the learning-rate schedule, one dropout seed per
 * batch, validation, early stopping and the checkpoint layout of src/training/checkpoints.ts.
 * The worker only runs the forward pass, the loss and the optimiser step.
 *
 * The `Random` seeded with `options.seed` is consumed exactly as the tfjs loop consumes it, so
 * an external model trained with the same seed sees the same jets in the same batches.
 */

import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { Random } from '../../random.js';
import {
  bestModelDirName,
  checkpointDirName,
  listCheckpointEpochs,
  readTrainingState,
  writeDirectoryAtomically,
  writeHistory,
  writeTrainingState,
} from '../../training/checkpoints.js';
import { initialEarlyStoppingState, updateEarlyStopping } from '../../training/early-stopping.js';
import type { EarlyStoppingState } from '../../training/early-stopping.js';
import { epochIndices } from '../../training/train-epoch.js';
import { checkTrainOptions, trainingSettings } from '../../training/train-loop.js';
import { batchRanges } from '../../training/sampling.js';
import { learningRateAt, parseScheduleName } from '../../training/schedules.js';
import type { ScheduleOptions } from '../../training/schedules.js';
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

interface LoopState {
  epoch: number;
  step: number;
  history: EpochMetrics[];
  bestEpoch: number;
  bestValidationLoss: number;
  earlyStopping: EarlyStoppingState;
}

/** Train `model` with `options` and return the history and the best epoch. */
export async function trainExternalLoop(model: ExternalTrainable, options: TrainOptions): Promise<TrainSummary> {
  checkTrainOptions(options);
  model.checkData(options.train);
  model.checkData(options.validation);
  const settings = trainingSettings(options);
  const schedule: ScheduleOptions = {
    name: parseScheduleName(String(settings.schedule)),
    baseLearningRate: options.learningRate,
    epochs: options.epochs,
    decayFactor: Number(settings.lrDecayFactor),
  };
  const random = new Random(options.seed);
  const bestModelDir = path.join(options.outputDir, bestModelDirName);
  let state: LoopState = { epoch: 0, step: 0, history: [], bestEpoch: 0, bestValidationLoss: Number.POSITIVE_INFINITY, earlyStopping: initialEarlyStoppingState() };

  await model.beginTraining(options);
  if (options.resumeFrom !== undefined) state = (await resume(model, random, options, settings)) ?? state;
  const resumedFromEpoch = state.epoch;
  const patience = options.earlyStoppingPatience ?? 0;
  const minDelta = options.earlyStoppingMinDelta ?? 0;
  let stoppedEarly = patience > 0 && state.earlyStopping.epochsWithoutImprovement >= patience;
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
    state.history.push(metrics);
    state.epoch = epoch;
    stoppedEarly = updateEarlyStopping(state.earlyStopping, validation.loss, patience, minDelta) && epoch < options.epochs;

    if (validation.loss < state.bestValidationLoss) {
      state.bestValidationLoss = validation.loss;
      state.bestEpoch = epoch;
      await writeDirectoryAtomically(bestModelDir, (dir) => model.saveTo(dir, false));
    }
    await writeDirectoryAtomically(path.join(options.outputDir, checkpointDirName(epoch)), async (dir) => {
      await model.saveTo(dir, true);
      await writeTrainingState(dir, {
        epoch,
        seed: options.seed,
        random: random.getState(),
        bestEpoch: state.bestEpoch,
        bestValidationLoss: state.bestValidationLoss,
        step: state.step,
        earlyStopping: state.earlyStopping,
        settings,
        history: state.history,
      });
    });
    const expired = options.keepCheckpoints === undefined ? 0 : epoch - options.keepCheckpoints;
    if (expired >= 1) await rm(path.join(options.outputDir, checkpointDirName(expired)), { recursive: true, force: true });
    await writeHistory(options.outputDir, state.history, state.bestEpoch);
    options.onEpoch?.(metrics);
  }

  if (state.bestEpoch === 0) {
    throw new InputError(
      `no epoch gave a finite validation loss (last: ${state.history.at(-1)?.validationLoss}); check the inputs for extreme values or lower the learning rate`,
    );
  }
  return { history: state.history, bestEpoch: state.bestEpoch, bestValidationLoss: state.bestValidationLoss, bestModelDir, resumedFromEpoch, stoppedEarly };
}

/**
 * Load the checkpoint that `options.resumeFrom` selects into the worker, restore the random
 * state and history, and remove later checkpoints. Returns undefined for 'latest' without checkpoints.
 */
async function resume(
  model: ExternalTrainable,
  random: Random,
  options: TrainOptions,
  settings: Record<string, number | string>,
): Promise<LoopState | undefined> {
  const available = await listCheckpointEpochs(options.outputDir);
  let epoch: number;
  if (options.resumeFrom === 'latest') {
    if (available.length === 0) return undefined;
    epoch = available[available.length - 1];
  } else {
    epoch = Number(options.resumeFrom);
    if (!available.includes(epoch)) {
      throw new InputError(
        `cannot resume from epoch ${epoch}: ${options.outputDir} has no ${checkpointDirName(epoch)}/; available epochs: ${available.length > 0 ? available.join(', ') : 'none'}`,
        { file: options.outputDir },
      );
    }
  }

  const dir = path.join(options.outputDir, checkpointDirName(epoch));
  const saved = await readTrainingState(dir);
  for (const [key, value] of Object.entries(settings)) {
    if (saved.settings?.[key] !== value) {
      throw new InputError(
        `cannot resume from ${dir}: it was trained with ${key} ${JSON.stringify(saved.settings?.[key])}, this run uses ${JSON.stringify(value)}; ` +
          'resume with the same settings or start a new training',
        { file: dir },
      );
    }
  }

  await model.loadFrom(dir, true);
  random.setState(saved.random);
  for (const later of available.filter((e) => e > epoch)) {
    await rm(path.join(options.outputDir, checkpointDirName(later)), { recursive: true, force: true });
  }
  // best_model/ may come from an epoch after the resumed one; its checkpoint has the right weights.
  if (available.includes(saved.bestEpoch)) {
    const bestCheckpoint = path.join(options.outputDir, checkpointDirName(saved.bestEpoch));
    const header = await readExternalHeader(bestCheckpoint);
    await writeDirectoryAtomically(path.join(options.outputDir, bestModelDirName), async (target) => {
      for (const file of header.external.files) await cp(path.join(bestCheckpoint, file), path.join(target, file));
      await writeExternalHeader(target, { ...header, external: { ...header.external, optimizerFiles: [] } });
    });
  }

  const history = saved.history ?? [];
  await writeHistory(options.outputDir, history, saved.bestEpoch);
  return {
    epoch,
    step: saved.step ?? 0,
    history,
    bestEpoch: saved.bestEpoch,
    bestValidationLoss: saved.bestValidationLoss,
    earlyStopping: saved.earlyStopping ?? initialEarlyStoppingState(),
  };
}
