/**
 * Adam, SGD with momentum and RAdam with the update rules of PyTorch 1.13 (`torch.optim`),
 * and `createOptimizer`, which builds any of them or AdamW by name. Weight decay λ is an L2
 * term added to the gradient (g ← g + λ·θ) for these three, as in PyTorch, and is applied
 * only to parameters marked for decay. AdamW (adamw.ts) decays the weights directly instead.
 */

import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../errors.js';
import { AdamW } from './adamw.js';
import { MomentOptimizer } from './moment-optimizer.js';
import { SlotOptimizer, optimizerNames } from './optimizer.js';
import type { OptimizedParameter, Optimizer, OptimizerName } from './optimizer.js';

export interface OptimizerOptions {
  learningRate: number;
  /** Weight decay λ; default 0. */
  weightDecay?: number;
  /** Exponential decay rates of the moment estimates (Adam, AdamW, RAdam); defaults 0.9 and 0.999. */
  beta1?: number;
  beta2?: number;
  /** Term added to the denominator (Adam, AdamW, RAdam); default 1e-8. */
  epsilon?: number;
  /** SGD momentum μ; default 0.9. */
  momentum?: number;
}

/** Return the gradient plus the L2 term λ·θ when the parameter decays. Call inside `tf.tidy`. */
function withL2(p: OptimizedParameter, g: tf.Tensor, weightDecay: number): tf.Tensor {
  return p.decay && weightDecay !== 0 ? tf.add(g, tf.mul(p.variable, weightDecay)) : g;
}

/**
 * Adam (Kingma and Ba, arXiv:1412.6980):
 * m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², θ ← θ − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε).
 */
export class Adam extends MomentOptimizer {
  readonly name = 'adam';

  protected updateParameter(p: OptimizedParameter, gradient: tf.Tensor, [m, v]: tf.Variable[], t: number): void {
    const g = withL2(p, gradient, this.weightDecay);
    this.updateMoments(m, v, g);
    const denominator = tf.add(tf.div(tf.sqrt(v), Math.sqrt(1 - this.beta2 ** t)), this.epsilon);
    p.variable.assign(tf.sub(p.variable, tf.mul(tf.div(m, denominator), this.learningRate / (1 - this.beta1 ** t))));
  }
}

/** SGD with momentum μ (no dampening, not Nesterov): b ← μ·b + g (b = g at step 1), θ ← θ − lr·b. */
export class Sgd extends SlotOptimizer {
  readonly name = 'sgd';
  readonly weightDecay: number;
  readonly momentum: number;

  constructor(parameters: OptimizedParameter[], options: OptimizerOptions) {
    super(parameters, ['momentum'], options.learningRate);
    this.weightDecay = options.weightDecay ?? 0;
    this.momentum = options.momentum ?? 0.9;
  }

  protected updateParameter(p: OptimizedParameter, gradient: tf.Tensor, [buffer]: tf.Variable[]): void {
    const g = withL2(p, gradient, this.weightDecay);
    // The buffer starts at zero, so μ·0 + g gives PyTorch's b = g at the first step.
    buffer.assign(tf.add(tf.mul(buffer, this.momentum), g));
    p.variable.assign(tf.sub(p.variable, tf.mul(buffer, this.learningRate)));
  }

  hyperparameters(): Record<string, number> {
    return { weightDecay: this.weightDecay, momentum: this.momentum };
  }
}

/**
 * RAdam (Liu et al., arXiv:1908.03265). With ρ∞ = 2/(1 − β2) − 1 and ρt = ρ∞ − 2t·β2ᵗ/(1 − β2ᵗ),
 * m̂ = m/(1 − β1ᵗ): when ρt > 5, θ ← θ − lr·m̂·r·√(1 − β2ᵗ)/(√v + ε) with the rectification
 * r = √((ρt − 4)(ρt − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρt)); otherwise θ ← θ − lr·m̂.
 */
export class RAdam extends MomentOptimizer {
  readonly name = 'radam';

  protected updateParameter(p: OptimizedParameter, gradient: tf.Tensor, [m, v]: tf.Variable[], t: number): void {
    const g = withL2(p, gradient, this.weightDecay);
    this.updateMoments(m, v, g);
    const biasCorrection1 = 1 - this.beta1 ** t;
    const biasCorrection2 = 1 - this.beta2 ** t;
    const rhoInfinity = 2 / (1 - this.beta2) - 1;
    const rho = rhoInfinity - (2 * t * this.beta2 ** t) / biasCorrection2;
    if (rho > 5) {
      const rectification = Math.sqrt(((rho - 4) * (rho - 2) * rhoInfinity) / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho));
      const adaptive = tf.div(Math.sqrt(biasCorrection2), tf.add(tf.sqrt(v), this.epsilon));
      const stepSize = (this.learningRate * rectification) / biasCorrection1;
      p.variable.assign(tf.sub(p.variable, tf.mul(tf.mul(m, adaptive), stepSize)));
    } else {
      p.variable.assign(tf.sub(p.variable, tf.mul(m, this.learningRate / biasCorrection1)));
    }
  }
}

/** Check that `name` is a known optimiser and return it typed. */
export function parseOptimizerName(name: string): OptimizerName {
  const match = optimizerNames.find((known) => known === name);
  if (match === undefined) throw new InputError(`unknown optimiser '${name}'; known optimisers: ${optimizerNames.join(', ')}`);
  return match;
}

/** Build the optimiser `name` for `parameters`. */
export function createOptimizer(name: OptimizerName, parameters: OptimizedParameter[], options: OptimizerOptions): Optimizer {
  switch (name) {
    case 'adam':
      return new Adam(parameters, options);
    case 'adamw':
      return new AdamW(parameters, options);
    case 'sgd':
      return new Sgd(parameters, options);
    case 'radam':
      return new RAdam(parameters, options);
  }
}
