/**
 * The bookkeeping that every training loop shares, whatever computes the steps: recording a
 * finished epoch (history, early stopping, best model, checkpoint) and resuming from a
 * checkpoint. The tfjs loop (train-loop.ts) and the external-worker loop differ only in how
 * they write and read their model and optimiser, which `CheckpointStore` supplies.
 */

import { rm } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { EpochMetrics, TrainOptions, TrainSummary } from '../models/classifier.js';
import type { Random } from '../random.js';
import {
  bestModelDirName,
  checkpointDirName,
  listCheckpointEpochs,
  readTrainingState,
  writeDirectoryAtomically,
  writeHistory,
  writeTrainingState,
} from './checkpoints.js';
import type { TrainingSettings } from './checkpoints.js';
import { initialEarlyStoppingState, updateEarlyStopping } from './early-stopping.js';
import type { EarlyStoppingState } from './early-stopping.js';

/** Training progress after an epoch, which a checkpoint restores. */
export interface LoopState {
  epoch: number;
  /** Optimiser steps taken so far. */
  step: number;
  history: EpochMetrics[];
  bestEpoch: number;
  bestValidationLoss: number;
  earlyStopping: EarlyStoppingState;
}

/** The writer and reader of a loop's model and optimiser state. */
export interface CheckpointStore {
  /** Write the model alone into `dir` (the best model). */
  saveModel(dir: string): Promise<void>;
  /** Write the model and the optimiser state into the checkpoint directory `dir`. */
  saveCheckpoint(dir: string): Promise<void>;
  /** Load the model and the optimiser state from the checkpoint directory `dir`. */
  restoreCheckpoint(dir: string): Promise<void>;
  /** Copy the model files of the checkpoint `checkpointDir` into `target`, a best-model directory. */
  copyModel(checkpointDir: string, target: string): Promise<void>;
}

export function initialLoopState(): LoopState {
  return { epoch: 0, step: 0, history: [], bestEpoch: 0, bestValidationLoss: Number.POSITIVE_INFINITY, earlyStopping: initialEarlyStoppingState() };
}

/**
 * Record the finished epoch `metrics.epoch`: update the history and early stopping, write
 * the best model when the validation loss fell, write the checkpoint with the random-number
 * state, drop expired checkpoints and write history.json. Returns true when training stops
 * early after this epoch.
 */
export async function recordEpoch(
  state: LoopState,
  metrics: EpochMetrics,
  options: TrainOptions,
  settings: TrainingSettings,
  random: Random,
  store: CheckpointStore,
): Promise<boolean> {
  const { epoch } = metrics;
  state.history.push(metrics);
  state.epoch = epoch;
  const patience = options.earlyStoppingPatience ?? 0;
  const minDelta = options.earlyStoppingMinDelta ?? 0;
  const stoppedEarly = updateEarlyStopping(state.earlyStopping, metrics.validationLoss, patience, minDelta) && epoch < options.epochs;

  if (metrics.validationLoss < state.bestValidationLoss) {
    state.bestValidationLoss = metrics.validationLoss;
    state.bestEpoch = epoch;
    await writeDirectoryAtomically(path.join(options.outputDir, bestModelDirName), (dir) => store.saveModel(dir));
  }
  await writeDirectoryAtomically(path.join(options.outputDir, checkpointDirName(epoch)), async (dir) => {
    await store.saveCheckpoint(dir);
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
  return stoppedEarly;
}

/** True when a resumed run has already waited `earlyStoppingPatience` epochs without improvement. */
export function stoppedBeforeStart(state: LoopState, options: TrainOptions): boolean {
  const patience = options.earlyStoppingPatience ?? 0;
  return patience > 0 && state.earlyStopping.epochsWithoutImprovement >= patience;
}

/**
 * Load the checkpoint that `options.resumeFrom` selects in `options.outputDir` through
 * `store`, restore the random-number state and history, remove later checkpoints and put
 * back the best model of the resumed history. Returns undefined for 'latest' when there is
 * no checkpoint.
 * @throws InputError when the chosen epoch has no checkpoint, or the checkpoint was written
 *   with other settings.
 */
export async function resumeLoopState(
  options: TrainOptions,
  settings: TrainingSettings,
  random: Random,
  store: CheckpointStore,
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
        `cannot resume from epoch ${epoch}: ${options.outputDir} has no ${checkpointDirName(epoch)}/; ` +
          `available epochs: ${available.length > 0 ? available.join(', ') : 'none'}`,
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

  await store.restoreCheckpoint(dir);
  random.setState(saved.random);
  for (const later of available.filter((e) => e > epoch)) {
    await rm(path.join(options.outputDir, checkpointDirName(later)), { recursive: true, force: true });
  }
  // best_model/ may come from an epoch after the resumed one; its checkpoint has the right weights.
  if (available.includes(saved.bestEpoch)) {
    const bestCheckpoint = path.join(options.outputDir, checkpointDirName(saved.bestEpoch));
    await writeDirectoryAtomically(path.join(options.outputDir, bestModelDirName), (target) => store.copyModel(bestCheckpoint, target));
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

/** Build the summary that a loop returns; throws when no epoch gave a finite validation loss. */
export function loopSummary(state: LoopState, resumedFromEpoch: number, stoppedEarly: boolean, outputDir: string): TrainSummary {
  if (state.bestEpoch === 0) {
    throw new InputError(
      `no epoch gave a finite validation loss (last: ${state.history.at(-1)?.validationLoss}); ` +
        'check the inputs for extreme values or lower the learning rate',
    );
  }
  return {
    history: state.history,
    bestEpoch: state.bestEpoch,
    bestValidationLoss: state.bestValidationLoss,
    bestModelDir: path.join(outputDir, bestModelDirName),
    resumedFromEpoch,
    stoppedEarly,
  };
}
