/**
 * The shared part of Adam, AdamW and RAdam: the hyperparameters λ, β1, β2 and ε, the slots
 * m and v, and the update of the moment estimates m ← β1·m + (1 − β1)·g and
 * v ← β2·v + (1 − β2)·g².
 */
import * as tf from '@tensorflow/tfjs-core';
import { SlotOptimizer } from './optimizer.js';
import type { OptimizedParameter } from './optimizer.js';

export interface MomentOptimizerOptions {
  learningRate: number;
  /** Weight decay λ; default 0. Each subclass says how it applies it. */
  weightDecay?: number;
  /** Exponential decay rates of the moment estimates; defaults 0.9 and 0.999. */
  beta1?: number;
  beta2?: number;
  /** Term added to the denominator; default 1e-8. */
  epsilon?: number;
}

export abstract class MomentOptimizer extends SlotOptimizer {
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(parameters: OptimizedParameter[], options: MomentOptimizerOptions) {
    super(parameters, ['m', 'v'], options.learningRate);
    this.weightDecay = options.weightDecay ?? 0;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  /** Update the moment estimates `m` and `v` with gradient `g`. Call inside `tf.tidy`. */
  protected updateMoments(m: tf.Variable, v: tf.Variable, g: tf.Tensor): void {
    m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
    v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
  }

  hyperparameters(): Record<string, number> {
    return { weightDecay: this.weightDecay, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
