/**
 * The network building blocks, written with tfjs-core operations and the parameters of a
 * `ParameterStore`: dense, batch normalisation, LSTM and dropout. They are plain functions
 * of tensors, so every operation has a gradient on the wasm backend (tfjs-layers' Conv1D
 * has none there) and all randomness comes from seeds the caller passes.
 */

import * as tf from '@tensorflow/tfjs-core';
import type { ParameterStore } from './parameters.js';

/** Per-call settings shared by every layer of one forward pass. */
export interface ForwardMode {
  /** Training mode: batch statistics, moving-average updates and dropout. */
  training: boolean;
  /** Source of dropout seeds; required when `training` is true and any dropout rate is above 0. */
  dropoutSeeds?: DropoutSeeds;
}

/** Distinct seeds for the dropout layers of one forward pass, derived from one base seed. */
export class DropoutSeeds {
  private next: number;

  constructor(baseSeed: number) {
    // tfjs treats a seed of 0 as "no seed" (Math.random), so seeds start at 1.
    this.next = (baseSeed >>> 0) * 64 + 1;
  }

  take(): number {
    return this.next++;
  }
}

export type Activation = 'linear' | 'relu';

/** A fully connected layer y = act(x·W + b) applied to the last axis of a rank-2 or rank-3 tensor. */
export class Dense {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(
    store: ParameterStore,
    name: string,
    readonly inputSize: number,
    readonly units: number,
    readonly activation: Activation,
  ) {
    this.kernel = store.add(`${name}/kernel`, [inputSize, units], { kind: 'glorotUniform', fanIn: inputSize, fanOut: units }, { decay: true });
    this.bias = store.add(`${name}/bias`, [units], { kind: 'zeros' });
  }

  /** [jets, features] → [jets, units], or [jets, candidates, features] → [jets, candidates, units]. */
  apply(x: tf.Tensor): tf.Tensor {
    const leading = x.shape.slice(0, -1);
    // Rank 2 on purpose: in tfjs-backend-wasm 4.22 a fused matmul with a bias gives wrong
    // results when its operands have a batch dimension above 1.
    const flat = tf.reshape(x, [-1, this.inputSize]);
    const y = tf.fused.matMul({ a: flat, b: this.kernel, bias: this.bias, activation: this.activation });
    return x.rank === 2 ? y : tf.reshape(y, [...leading, this.units]);
  }
}

export interface BatchNormOptions {
  /** Weight of the old value in the moving averages; default 0.9. */
  momentum?: number;
  epsilon?: number;
  /** Clip the normalised values to ±clip before scale and shift; undefined disables it. */
  clip?: number;
}

/** Scale, shift and moving averages of a batch normalisation over `size` features. */
export interface BatchNormParameters {
  gamma: tf.Variable;
  beta: tf.Variable;
  movingMean: tf.Variable;
  movingVariance: tf.Variable;
}

/**
 * Add the parameters of a batch normalisation named `name` to `store`: scale 1 and shift 0
 * (trainable), moving mean 0 and moving variance 1 (not trainable). Every batch-normalisation
 * layer uses these names, so saved weights keep one layout.
 */
export function addBatchNormParameters(store: ParameterStore, name: string, size: number): BatchNormParameters {
  return {
    gamma: store.add(`${name}/gamma`, [size], { kind: 'ones' }),
    beta: store.add(`${name}/beta`, [size], { kind: 'zeros' }),
    movingMean: store.add(`${name}/moving_mean`, [size], { kind: 'zeros' }, { trainable: false }),
    movingVariance: store.add(`${name}/moving_variance`, [size], { kind: 'ones' }, { trainable: false }),
  };
}

/**
 * Batch normalisation over the last axis: statistics over every other axis (jets, and
 * candidates for rank-3 input). Training mode normalises with the batch statistics and
 * updates the moving averages in place; inference uses the moving averages.
 */
export class BatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly movingMean: tf.Variable;
  readonly movingVariance: tf.Variable;
  private readonly momentum: number;
  private readonly epsilon: number;
  private readonly clip: number | undefined;

  constructor(store: ParameterStore, name: string, readonly size: number, options: BatchNormOptions = {}) {
    const parameters = addBatchNormParameters(store, name, size);
    this.gamma = parameters.gamma;
    this.beta = parameters.beta;
    this.movingMean = parameters.movingMean;
    this.movingVariance = parameters.movingVariance;
    this.momentum = options.momentum ?? 0.9;
    this.epsilon = options.epsilon ?? 1e-3;
    this.clip = options.clip;
  }

  apply(x: tf.Tensor, mode: ForwardMode): tf.Tensor {
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (mode.training) {
      const axes = x.rank === 2 ? [0] : [0, 1];
      const moments = tf.moments(x, axes);
      mean = moments.mean;
      variance = moments.variance;
      // The assignments copy values only, so they add nothing to the gradient.
      this.movingMean.assign(tf.add(tf.mul(this.movingMean, this.momentum), tf.mul(mean, 1 - this.momentum)));
      this.movingVariance.assign(
        tf.add(tf.mul(this.movingVariance, this.momentum), tf.mul(variance, 1 - this.momentum)),
      );
    } else {
      mean = this.movingMean;
      variance = this.movingVariance;
    }
    let normalised = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
    if (this.clip !== undefined) normalised = tf.clipByValue(normalised, -this.clip, this.clip);
    return tf.add(tf.mul(normalised, this.gamma), this.beta);
  }
}

/**
 * A long short-term memory layer (Hochreiter and Schmidhuber 1997, with a forget gate) that
 * returns the last hidden state. Gate order in the weights: input, forget, cell, output, as in
 * Keras. The forget-gate bias starts at 1.
 */
export class Lstm {
  readonly kernel: tf.Variable;
  readonly recurrentKernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(store: ParameterStore, name: string, readonly inputSize: number, readonly units: number) {
    const gates = 4 * units;
    this.kernel = store.add(`${name}/kernel`, [inputSize, gates], { kind: 'glorotUniform', fanIn: inputSize, fanOut: gates }, { decay: true });
    this.recurrentKernel = store.add(`${name}/recurrent_kernel`, [units, gates], { kind: 'glorotUniform', fanIn: units, fanOut: gates }, { decay: true });
    const biasValues = new Float32Array(gates);
    biasValues.fill(1, units, 2 * units);
    this.bias = store.add(`${name}/bias`, [gates], { kind: 'values', values: biasValues });
  }

  /**
   * Run over [jets, candidates, features] and return the final hidden state [jets, units].
   * With `goBackwards` the last candidate is read first, so the first candidate, the
   * highest-ranked one, is read last.
   */
  apply(x: tf.Tensor, goBackwards: boolean): tf.Tensor {
    const [numJets, numSteps] = x.shape;
    if (x.rank !== 3 || numJets === undefined || numSteps === undefined) {
      throw new Error(`an LSTM needs input [jets, candidates, features]; got shape [${x.shape.join(', ')}]`);
    }
    // Split the input into steps before the input projection, not after: every slice on the
    // wasm backend (tfjs 4.22) copies its whole source tensor first, and the input is several
    // times smaller than its projection. Time-major order makes each step one contiguous block.
    const steps = tf.unstack(tf.transpose(x, [1, 0, 2]), 0);
    // For the same reason the weights are split per gate once per call, not the gate
    // pre-activations once per step.
    const kernels = tf.split(this.kernel, 4, 1);
    const recurrentKernels = tf.split(this.recurrentKernel, 4, 1);
    const biases = tf.split(this.bias, 4, 0);
    const gate = (g: number, input: tf.Tensor, state: tf.Tensor): tf.Tensor =>
      tf.add(tf.fused.matMul({ a: input, b: kernels[g], bias: biases[g] }), tf.matMul(state, recurrentKernels[g]));

    let h: tf.Tensor = tf.zeros([numJets, this.units]);
    let c: tf.Tensor = tf.zeros([numJets, this.units]);
    for (let k = 0; k < numSteps; k++) {
      const step = steps[goBackwards ? numSteps - 1 - k : k];
      const inputGate = tf.sigmoid(gate(0, step, h));
      const forgetGate = tf.sigmoid(gate(1, step, h));
      const candidate = tf.tanh(gate(2, step, h));
      const outputGate = tf.sigmoid(gate(3, step, h));
      c = tf.add(tf.mul(forgetGate, c), tf.mul(inputGate, candidate));
      h = tf.mul(outputGate, tf.tanh(c));
    }
    return h;
  }
}

/** Dropout with a seed from `mode`; identity outside training or when `rate` is 0. */
export function dropout<T extends tf.Tensor>(x: T, rate: number, mode: ForwardMode): T {
  if (!mode.training || rate === 0) return x;
  if (mode.dropoutSeeds === undefined) throw new Error('training with dropout needs dropoutSeeds');
  return tf.dropout(x, rate, undefined, mode.dropoutSeeds.take()) as T;
}
