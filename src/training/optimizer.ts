/**
 * The interface that the training loop uses for every optimiser, and a base class that
 * keeps per-parameter state ("slots", such as Adam's moment estimates) in tf variables and
 * converts it to and from plain arrays for checkpoints.
 */

import * as tf from '@tensorflow/tfjs-core';

export const optimizerNames = ['adam', 'adamw', 'sgd', 'radam'] as const;
export type OptimizerName = (typeof optimizerNames)[number];

/** A parameter that the optimiser updates. */
export interface OptimizedParameter {
  name: string;
  variable: tf.Variable;
  /** Apply weight decay to it (usually kernels, not biases or normalisation scales). */
  decay: boolean;
}

/** One slot array of one parameter, as stored in a checkpoint. */
export interface SlotArray {
  shape: number[];
  values: Float32Array;
}

/** Optimiser state for checkpoints: the step count and the slot arrays keyed `SLOT/PARAMETER`, such as `m/dense_0/kernel`. */
export interface OptimizerSlots {
  step: number;
  slots: Map<string, SlotArray>;
}

export interface Optimizer {
  readonly name: OptimizerName;
  /** Learning rate of the next step; the training loop sets it from the schedule before each step. */
  learningRate: number;
  /** Number of updates applied so far. */
  readonly step: number;
  /** List the optimised variables, in the order that `applyGradients` expects their gradients. */
  variables(): tf.Variable[];
  /** Apply one update; `gradients[i]` belongs to the i-th variable of `variables()`. */
  applyGradients(gradients: tf.Tensor[]): void;
  getSlots(): OptimizerSlots;
  /** Restore a state from `getSlots`; throws naming the parameter when one is missing or has another size. */
  setSlots(state: OptimizerSlots): void;
  /** Fixed settings (momentum, betas, weight decay), written to the checkpoint for reference. */
  hyperparameters(): Record<string, number>;
  dispose(): void;
}

/**
 * Base class for optimisers with named slots per parameter. Subclasses implement
 * `updateParameter`, which runs inside `tf.tidy` once per parameter per step.
 */
export abstract class SlotOptimizer implements Optimizer {
  abstract readonly name: OptimizerName;
  learningRate: number;
  protected stepCount = 0;
  /** slotVariables[s][i]: slot `slotNames[s]` of parameter i. */
  private readonly slotVariables: tf.Variable[][];

  constructor(
    protected readonly parameters: OptimizedParameter[],
    private readonly slotNames: readonly string[],
    learningRate: number,
  ) {
    this.learningRate = learningRate;
    this.slotVariables = slotNames.map(() => parameters.map((p) => zerosVariable(p.variable.shape)));
  }

  variables(): tf.Variable[] {
    return this.parameters.map((p) => p.variable);
  }

  get step(): number {
    return this.stepCount;
  }

  applyGradients(gradients: tf.Tensor[]): void {
    if (gradients.length !== this.parameters.length) {
      throw new Error(`${this.name} got ${gradients.length} gradients for ${this.parameters.length} parameters`);
    }
    this.stepCount += 1;
    tf.tidy(() => {
      this.parameters.forEach((p, i) => {
        this.updateParameter(p, gradients[i], this.slotVariables.map((slot) => slot[i]), this.stepCount);
      });
    });
  }

  /** Update `parameter.variable` from `gradient` at step `t` (counted from 1); `slots` follow the constructor's slot names. */
  protected abstract updateParameter(parameter: OptimizedParameter, gradient: tf.Tensor, slots: tf.Variable[], t: number): void;

  abstract hyperparameters(): Record<string, number>;

  getSlots(): OptimizerSlots {
    const slots = new Map<string, SlotArray>();
    this.slotNames.forEach((slotName, s) => {
      this.parameters.forEach((p, i) => {
        slots.set(`${slotName}/${p.name}`, { shape: p.variable.shape, values: this.slotVariables[s][i].dataSync<'float32'>().slice() });
      });
    });
    return { step: this.stepCount, slots };
  }

  setSlots(state: OptimizerSlots): void {
    this.slotNames.forEach((slotName, s) => {
      this.parameters.forEach((p, i) => {
        const key = `${slotName}/${p.name}`;
        const entry = state.slots.get(key);
        if (entry === undefined) throw new Error(`the ${this.name} optimiser state has no array '${key}'`);
        if (entry.values.length !== p.variable.size) {
          throw new Error(`the ${this.name} optimiser array '${key}' has ${entry.values.length} values; expected ${p.variable.size}`);
        }
        const value = tf.tensor(entry.values, p.variable.shape);
        this.slotVariables[s][i].assign(value);
        value.dispose();
      });
    });
    this.stepCount = state.step;
  }

  dispose(): void {
    for (const slot of this.slotVariables) for (const v of slot) v.dispose();
  }
}

function zerosVariable(shape: number[]): tf.Variable {
  const zeros = tf.zeros(shape);
  const variable = tf.variable(zeros, false);
  zeros.dispose();
  return variable;
}
