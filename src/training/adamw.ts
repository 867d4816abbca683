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

export interface AdamWOptions {
  learningRate: number;
  /** Decoupled weight decay λ, applied as θ ← θ − lr·λ·θ; default 0. */
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** A parameter that the optimiser updates. */
export interface OptimizedParameter {
  name: string;
  variable: tf.Variable;
  /** Apply weight decay to it (usually kernels, not biases or normalisation scales). */
  decay: boolean;
}

/** Optimiser state for checkpoints: the step count and the moment estimates per parameter name. */
export interface AdamWState {
  step: number;
  firstMoments: Map<string, { shape: number[]; values: Float32Array }>;
  secondMoments: Map<string, { shape: number[]; values: Float32Array }>;
}

export class AdamW {
  learningRate: number;
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private stepCount = 0;
  private readonly firstMoments: tf.Variable[];
  private readonly secondMoments: tf.Variable[];

  constructor(
    private readonly parameters: OptimizedParameter[],
    options: AdamWOptions,
  ) {
    this.learningRate = options.learningRate;
    this.weightDecay = options.weightDecay ?? 0;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.firstMoments = parameters.map((p) => zerosVariable(p.variable.shape));
    this.secondMoments = parameters.map((p) => zerosVariable(p.variable.shape));
  }

  /** List the optimised variables, in the order that `applyGradients` expects their gradients. */
  variables(): tf.Variable[] {
    return this.parameters.map((p) => p.variable);
  }

  /** Number of updates applied so far. */
  get step(): number {
    return this.stepCount;
  }

  /** Apply one update; `gradients[i]` belongs to the i-th parameter given to the constructor. */
  applyGradients(gradients: tf.Tensor[]): void {
    if (gradients.length !== this.parameters.length) {
      throw new Error(`AdamW got ${gradients.length} gradients for ${this.parameters.length} parameters`);
    }
    this.stepCount += 1;
    const t = this.stepCount;
    const biasCorrection1 = 1 - this.beta1 ** t;
    const biasCorrection2 = 1 - this.beta2 ** t;
    const stepSize = this.learningRate / biasCorrection1;
    const decayFactor = 1 - this.learningRate * this.weightDecay;

    tf.tidy(() => {
      this.parameters.forEach((p, i) => {
        const g = gradients[i];
        const m = this.firstMoments[i];
        const v = this.secondMoments[i];
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const denominator = tf.add(tf.div(tf.sqrt(v), Math.sqrt(biasCorrection2)), this.epsilon);
        const decayed = p.decay && this.weightDecay !== 0 ? tf.mul(p.variable, decayFactor) : p.variable;
        p.variable.assign(tf.sub(decayed, tf.mul(tf.div(m, denominator), stepSize)));
      });
    });
  }

  getState(): AdamWState {
    const read = (variables: tf.Variable[]): AdamWState['firstMoments'] =>
      new Map(
        this.parameters.map((p, i) => [p.name, { shape: p.variable.shape, values: variables[i].dataSync<'float32'>().slice() }]),
      );
    return { step: this.stepCount, firstMoments: read(this.firstMoments), secondMoments: read(this.secondMoments) };
  }

  /** Restore a state from `getState`; throws naming the parameter when one is missing or has another shape. */
  setState(state: AdamWState): void {
    const write = (variables: tf.Variable[], values: AdamWState['firstMoments'], what: string): void => {
      this.parameters.forEach((p, i) => {
        const entry = values.get(p.name);
        if (entry === undefined) throw new Error(`the optimiser state has no ${what} for parameter '${p.name}'`);
        if (entry.values.length !== p.variable.size) {
          throw new Error(`the optimiser ${what} for parameter '${p.name}' has ${entry.values.length} values; expected ${p.variable.size}`);
        }
        const value = tf.tensor(entry.values, p.variable.shape);
        variables[i].assign(value);
        value.dispose();
      });
    };
    write(this.firstMoments, state.firstMoments, 'first moment');
    write(this.secondMoments, state.secondMoments, 'second moment');
    this.stepCount = state.step;
  }

  dispose(): void {
    for (const v of [...this.firstMoments, ...this.secondMoments]) v.dispose();
  }
}

function zerosVariable(shape: number[]): tf.Variable {
  const zeros = tf.zeros(shape);
  const variable = tf.variable(zeros, false);
  zeros.dispose();
  return variable;
}
