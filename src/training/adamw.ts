/**
 * AdamW: Adam with decoupled weight decay (Loshchilov and Hutter, arXiv:1711.05101), with the
 * update rule of PyTorch's `torch.optim.AdamW`. tfjs 4.22 has Adam but no AdamW. For each
 * parameter θ with gradient g at step t:
 *
 *   θ ← θ − lr·λ·θ                     (only parameters marked for decay)
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   θ ← θ − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
 */

import * as tf from '@tensorflow/tfjs-core';
import { MomentOptimizer } from './moment-optimizer.js';
import type { OptimizedParameter, SlotArray } from './optimizer.js';

export type { OptimizedParameter } from './optimizer.js';

export interface AdamWOptions {
  learningRate: number;
  /** Decoupled weight decay λ, applied as θ ← θ − lr·λ·θ; default 0. */
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Optimiser state for checkpoints: the step count and the moment estimates per parameter name. */
export interface AdamWState {
  step: number;
  firstMoments: Map<string, SlotArray>;
  secondMoments: Map<string, SlotArray>;
}

export class AdamW extends MomentOptimizer {
  readonly name = 'adamw';

  constructor(parameters: OptimizedParameter[], options: AdamWOptions) {
    super(parameters, options);
  }

  protected updateParameter(p: OptimizedParameter, g: tf.Tensor, [m, v]: tf.Variable[], t: number): void {
    const biasCorrection2 = 1 - this.beta2 ** t;
    const stepSize = this.learningRate / (1 - this.beta1 ** t);
    this.updateMoments(m, v, g);
    const denominator = tf.add(tf.div(tf.sqrt(v), Math.sqrt(biasCorrection2)), this.epsilon);
    const decayed = p.decay && this.weightDecay !== 0 ? tf.mul(p.variable, 1 - this.learningRate * this.weightDecay) : p.variable;
    p.variable.assign(tf.sub(decayed, tf.mul(tf.div(m, denominator), stepSize)));
  }

  getState(): AdamWState {
    const { step, slots } = this.getSlots();
    const pick = (prefix: string): Map<string, SlotArray> =>
      new Map([...slots].filter(([key]) => key.startsWith(prefix)).map(([key, entry]) => [key.slice(prefix.length), entry]));
    return { step, firstMoments: pick('m/'), secondMoments: pick('v/') };
  }

  /** Restore a state from `getState`; throws naming the parameter when one is missing or has another shape. */
  setState(state: AdamWState): void {
    const slots = new Map<string, SlotArray>();
    for (const [name, entry] of state.firstMoments) slots.set(`m/${name}`, entry);
    for (const [name, entry] of state.secondMoments) slots.set(`v/${name}`, entry);
    this.setSlots({ step: state.step, slots });
  }
}
