/**
 * Learning-rate schedules. The rate is a pure function of the position in training (epoch
 * and batch), so a resumed run gets the same rates as an uninterrupted one.
 */

import { InputError } from '../errors.js';

export const scheduleNames = ['constant', 'epoch_lin_decay', 'batch_decay', 'cosine'] as const;
export type ScheduleName = (typeof scheduleNames)[number];

export interface ScheduleOptions {
  name: ScheduleName;
  /** Learning rate before any decay. */
  baseLearningRate: number;
  /** Total number of epochs of the run. */
  epochs: number;
  /** Factor by which `epoch_lin_decay` and `batch_decay` lower the rate over the run; default 0.1. */
  decayFactor?: number;
}

/** Position of a step: `epoch` counted from 1, `batch` counted from 0 of `numBatches` in that epoch. */
export interface StepPosition {
  epoch: number;
  batch: number;
  numBatches: number;
}

/** Number of final epochs over which `epoch_lin_decay` lowers the rate: L = max(1, int(0.3·epochs)). */
export function decayEpochs(epochs: number): number {
  return Math.max(1, Math.floor(0.3 * epochs));
}

/**
 * Return the learning rate of the step at `position`:
 *
 * - `constant`: the base rate;
 * - `epoch_lin_decay` (b-hive's schedule): the rate is multiplied by f^(1/L) at the start of
 *   each of the last L epochs, so epoch e uses base·f^(k/L) with k = max(0, e − (epochs − L))
 *   and the last epoch runs at base·f;
 * - `batch_decay`: exponential decay at every batch, base·f^p where p = (e − 1 + b/B)/epochs
 *   is the fraction of training done, so the rate approaches base·f at the end;
 * - `cosine`: a linear warm-up over the first epoch, base·(b + 1)/B, then
 *   base·(1 + cos(π·p))/2 with p = (e − 2 + b/B)/(epochs − 1) from epoch 2 on.
 */
export function learningRateAt(options: ScheduleOptions, position: StepPosition): number {
  const base = options.baseLearningRate;
  const factor = options.decayFactor ?? 0.1;
  const { epoch, batch, numBatches } = position;
  const batchFraction = numBatches > 0 ? batch / numBatches : 0;
  switch (options.name) {
    case 'constant':
      return base;
    case 'epoch_lin_decay': {
      const length = decayEpochs(options.epochs);
      const decays = Math.max(0, epoch - (options.epochs - length));
      return base * factor ** (decays / length);
    }
    case 'batch_decay':
      return base * factor ** ((epoch - 1 + batchFraction) / options.epochs);
    case 'cosine': {
      if (epoch === 1) return (base * (batch + 1)) / Math.max(1, numBatches);
      const progress = (epoch - 2 + batchFraction) / Math.max(1, options.epochs - 1);
      return (base * (1 + Math.cos(Math.PI * progress))) / 2;
    }
  }
}

/** Check that `name` is a known schedule and return it typed. */
export function parseScheduleName(name: string): ScheduleName {
  const match = scheduleNames.find((known) => known === name);
  if (match === undefined) throw new InputError(`unknown learning-rate schedule '${name}'; known schedules: ${scheduleNames.join(', ')}`);
  return match;
}
