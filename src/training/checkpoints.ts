/**
 * Training outputs on disk, each written atomically (to a temporary name, then renamed):
 *
 * - `checkpoint_epoch_NNN/`: the model (model.json, weights.bin), the optimiser state
 *   (optimizer.json, optimizer.bin) and training_state.json (epoch, step, random-number
 *   state, best epoch, early-stopping state, settings and the history so far);
 * - `best_model/`: the model with the lowest validation loss so far;
 * - `history.json`: the metrics of every finished epoch.
 *
 * A checkpoint directory exists only once complete, so every one found can be resumed from.
 */

import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { EpochMetrics } from '../models/classifier.js';
import { readArrayBundle, writeArrayBundle } from '../models/tfjs/array-bundle.js';
import type { ArrayIndexEntry } from '../models/tfjs/array-bundle.js';
import type { RandomState } from '../random.js';
import type { EarlyStoppingState } from './early-stopping.js';
import type { Optimizer, OptimizerSlots } from './optimizer.js';

export const bestModelDirName = 'best_model';
export const historyFileName = 'history.json';
export const trainingStateFileName = 'training_state.json';

const checkpointPattern = /^checkpoint_epoch_(\d{3,})$/;

/** Directory name of the checkpoint after `epoch` (counted from 1), such as `checkpoint_epoch_007`. */
export function checkpointDirName(epoch: number): string {
  return `checkpoint_epoch_${String(epoch).padStart(3, '0')}`;
}

/** List the epochs of the checkpoints in `outputDir`, ascending; an absent directory has none. */
export async function listCheckpointEpochs(outputDir: string): Promise<number[]> {
  if (!existsSync(outputDir)) return [];
  const epochs: number[] = [];
  for (const entry of await readdir(outputDir)) {
    const match = checkpointPattern.exec(entry);
    if (match && existsSync(path.join(outputDir, entry, trainingStateFileName))) epochs.push(Number(match[1]));
  }
  return epochs.sort((a, b) => a - b);
}

/**
 * Create `dir` with the files that `fill` writes into a temporary sibling directory, then
 * rename it into place, replacing an existing `dir`. A crash leaves at most a
 * `*.partial-PID` directory, never an incomplete `dir`.
 */
export async function writeDirectoryAtomically(dir: string, fill: (temporaryDir: string) => Promise<void>): Promise<void> {
  const temporary = `${dir}.partial-${process.pid}`;
  const old = `${dir}.old-${process.pid}`;
  await rm(temporary, { recursive: true, force: true });
  await mkdir(temporary, { recursive: true });
  await fill(temporary);
  let replaced = false;
  try {
    await rename(dir, old);
    replaced = true;
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  }
  await rename(temporary, dir);
  if (replaced) await rm(old, { recursive: true, force: true });
}

/** Write `text` to `file` through a temporary name. */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.partial-${process.pid}`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

/** Contents of optimizer.json. */
interface OptimizerHeader {
  optimizer: string;
  step: number;
  learningRate: number;
  hyperparameters: Record<string, number>;
  /** Arrays named SLOT/PARAMETER, such as m/dense_0/kernel for Adam's first moment. */
  slots: { file: string; dtype: 'float32'; byteOrder: 'little'; arrays: ArrayIndexEntry[] };
}

/** Write optimizer.json and optimizer.bin into `dir`. */
export async function writeOptimizerState(dir: string, optimizer: Optimizer): Promise<void> {
  const state = optimizer.getSlots();
  const index = await writeArrayBundle(path.join(dir, 'optimizer.bin'), state.slots);
  const header: OptimizerHeader = {
    optimizer: optimizer.name,
    step: state.step,
    learningRate: optimizer.learningRate,
    hyperparameters: optimizer.hyperparameters(),
    slots: { file: 'optimizer.bin', dtype: 'float32', byteOrder: 'little', arrays: index },
  };
  await writeFileAtomically(path.join(dir, 'optimizer.json'), JSON.stringify(header, null, 2) + '\n');
}

/** Read the optimiser state that `writeOptimizerState` wrote into `dir`, with the optimiser's name. */
export async function readOptimizerState(dir: string): Promise<{ optimizer: string; state: OptimizerSlots }> {
  const file = path.join(dir, 'optimizer.json');
  const header = await readJson<OptimizerHeader>(file);
  if (typeof header.optimizer !== 'string' || typeof header.step !== 'number' || !Array.isArray(header.slots?.arrays)) {
    throw new InputError(`${file} is not a bhive optimiser state (expected "optimizer", "step" and "slots")`, { file });
  }
  const slots = await readArrayBundle(path.join(dir, header.slots.file), header.slots.arrays);
  return { optimizer: header.optimizer, state: { step: header.step, slots } };
}

/** Training options that must match for a checkpoint to be resumed, because they change the result. */
export type TrainingSettings = Record<string, number | string>;

/** State needed to continue training after `epoch`, besides the model and optimiser. */
export interface TrainingState {
  epoch: number;
  seed: number;
  random: RandomState;
  bestEpoch: number;
  bestValidationLoss: number;
  /** Optimiser steps taken so far. */
  step?: number;
  earlyStopping?: EarlyStoppingState;
  settings?: TrainingSettings;
  history?: EpochMetrics[];
}

export async function writeTrainingState(dir: string, state: TrainingState): Promise<void> {
  await writeFileAtomically(path.join(dir, trainingStateFileName), JSON.stringify(state, null, 2) + '\n');
}

/** Read training_state.json from the checkpoint directory `dir`. */
export async function readTrainingState(dir: string): Promise<TrainingState> {
  const file = path.join(dir, trainingStateFileName);
  const state = await readJson<TrainingState>(file);
  if (typeof state.epoch !== 'number' || !Array.isArray(state.random?.s) || !Array.isArray(state.history)) {
    throw new InputError(`${file} lacks "epoch", "random" or "history"; it was written by an older bhive and cannot be resumed`, { file });
  }
  return state;
}

export async function writeHistory(outputDir: string, history: EpochMetrics[], bestEpoch: number): Promise<void> {
  const text = JSON.stringify({ bestEpoch, epochs: history }, null, 2) + '\n';
  await writeFileAtomically(path.join(outputDir, historyFileName), text);
}

async function readJson<T>(file: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${file}`, { file }, { cause: error });
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new InputError(`${file} is not valid JSON`, { file }, { cause: error });
  }
}
