/**
 * Training outputs on disk, each written atomically (to a temporary name, then renamed):
 *
 * - `checkpoint_epoch_NNN/`: the model (model.json, weights.bin), the optimiser state
 *   (optimizer.json, optimizer.bin) and training_state.json (epoch, random-number state);
 * - `best_model/`: the model with the lowest validation loss so far;
 * - `history.json`: the metrics of every finished epoch.
 */

import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EpochMetrics } from '../models/classifier.js';
import { writeArrayBundle } from '../models/tfjs/array-bundle.js';
import type { RandomState } from '../random.js';
import type { AdamW } from './adamw.js';

export const bestModelDirName = 'best_model';
export const historyFileName = 'history.json';

/** Directory name of the checkpoint after `epoch` (counted from 1), such as `checkpoint_epoch_007`. */
export function checkpointDirName(epoch: number): string {
  return `checkpoint_epoch_${String(epoch).padStart(3, '0')}`;
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

/** Write optimizer.json and optimizer.bin into `dir`. */
export async function writeOptimizerState(dir: string, optimizer: AdamW): Promise<void> {
  const state = optimizer.getState();
  const moments = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const [name, entry] of state.firstMoments) moments.set(`m/${name}`, entry);
  for (const [name, entry] of state.secondMoments) moments.set(`v/${name}`, entry);
  const index = await writeArrayBundle(path.join(dir, 'optimizer.bin'), moments);
  const header = {
    optimizer: 'adamw',
    step: state.step,
    learningRate: optimizer.learningRate,
    weightDecay: optimizer.weightDecay,
    beta1: optimizer.beta1,
    beta2: optimizer.beta2,
    epsilon: optimizer.epsilon,
    // Arrays named m/PARAMETER and v/PARAMETER: the first and second moment estimates.
    moments: { file: 'optimizer.bin', dtype: 'float32', byteOrder: 'little', arrays: index },
  };
  await writeFileAtomically(path.join(dir, 'optimizer.json'), JSON.stringify(header, null, 2) + '\n');
}

/** State needed to continue training after `epoch`, besides the model and optimiser. */
export interface TrainingState {
  epoch: number;
  seed: number;
  random: RandomState;
  bestEpoch: number;
  bestValidationLoss: number;
}

export async function writeTrainingState(dir: string, state: TrainingState): Promise<void> {
  await writeFileAtomically(path.join(dir, 'training_state.json'), JSON.stringify(state, null, 2) + '\n');
}

export async function writeHistory(outputDir: string, history: EpochMetrics[], bestEpoch: number): Promise<void> {
  const text = JSON.stringify({ bestEpoch, epochs: history }, null, 2) + '\n';
  await writeFileAtomically(path.join(outputDir, historyFileName), text);
}
