/**
 * Named network parameters as tfjs variables, initialised from a seeded `Random` so that
 * the same seed gives the same initial weights. tfjs's own initialisers draw from
 * `Math.random` when no seed is given, which is why the layers here do not use them.
 */

import * as tf from '@tensorflow/tfjs-core';
import type { Random } from '../../random.js';
import type { NamedArrays } from './array-bundle.js';

/** Rule for a parameter's initial values. */
export type Initializer =
  | { kind: 'zeros' }
  | { kind: 'ones' }
  | { kind: 'constant'; value: number }
  | { kind: 'values'; values: Float32Array }
  /** Uniform in ±sqrt(6 / (fanIn + fanOut)) (Glorot and Bengio 2010). */
  | { kind: 'glorotUniform'; fanIn: number; fanOut: number };

export interface ParameterSpec {
  name: string;
  shape: number[];
  /** False for running statistics such as batch-normalisation moving means. */
  trainable: boolean;
  /** Whether AdamW applies weight decay to it (kernels yes; biases and normalisation no). */
  decay: boolean;
}

export interface Parameter extends ParameterSpec {
  variable: tf.Variable;
}

/** Named values of every parameter, as saved in a model directory. */
export type ParameterValues = NamedArrays;

/** The parameters of one network, in creation order. */
export class ParameterStore {
  private readonly byName = new Map<string, Parameter>();

  constructor(private readonly random: Random) {}

  /** Create a variable `name` of `shape` filled by `init`. Throws on a duplicate name. */
  add(
    name: string,
    shape: number[],
    init: Initializer,
    flags: { trainable?: boolean; decay?: boolean } = {},
  ): tf.Variable {
    if (this.byName.has(name)) throw new Error(`network parameter '${name}' is defined twice`);
    const values = this.initialValues(shape, init);
    const trainable = flags.trainable ?? true;
    // tfjs variable names are global to the process. The store keeps its own names and lets
    // tfjs pick unique ones, so two networks can coexist.
    const initial = tf.tensor(values, shape);
    const variable = tf.variable(initial, trainable);
    initial.dispose();
    this.byName.set(name, { name, shape, trainable, decay: flags.decay ?? false, variable });
    return variable;
  }

  get parameters(): Parameter[] {
    return [...this.byName.values()];
  }

  get trainableParameters(): Parameter[] {
    return this.parameters.filter((p) => p.trainable);
  }

  /** Number of trainable scalar weights. */
  countTrainable(): number {
    let total = 0;
    for (const p of this.trainableParameters) total += p.variable.size;
    return total;
  }

  /** Copy every parameter's current values out of the backend. */
  readValues(): ParameterValues {
    const result: ParameterValues = new Map();
    for (const p of this.parameters) {
      result.set(p.name, { shape: p.shape, values: p.variable.dataSync<'float32'>().slice() });
    }
    return result;
  }

  /**
   * Overwrite every parameter from `values`. Throws naming the parameter when one is missing,
   * has another shape, or when `values` contains names this network does not have.
   */
  assignValues(values: ParameterValues, source: string): void {
    for (const name of values.keys()) {
      if (!this.byName.has(name)) {
        throw new Error(`${source} has a weight '${name}' that this network does not define`);
      }
    }
    for (const p of this.parameters) {
      const entry = values.get(p.name);
      if (entry === undefined) throw new Error(`${source} has no weight '${p.name}'`);
      if (entry.shape.join(',') !== p.shape.join(',')) {
        throw new Error(
          `${source}: weight '${p.name}' has shape [${entry.shape.join(', ')}]; the network expects [${p.shape.join(', ')}]`,
        );
      }
      const value = tf.tensor(entry.values, p.shape);
      p.variable.assign(value);
      value.dispose();
    }
  }

  dispose(): void {
    for (const p of this.parameters) p.variable.dispose();
    this.byName.clear();
  }

  private initialValues(shape: number[], init: Initializer): Float32Array {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    switch (init.kind) {
      case 'zeros':
        break;
      case 'ones':
        values.fill(1);
        break;
      case 'constant':
        values.fill(init.value);
        break;
      case 'values':
        if (init.values.length !== size) {
          throw new Error(`initial values have ${init.values.length} elements; shape [${shape.join(', ')}] needs ${size}`);
        }
        values.set(init.values);
        break;
      case 'glorotUniform': {
        const limit = Math.sqrt(6 / (init.fanIn + init.fanOut));
        for (let i = 0; i < size; i++) values[i] = (2 * this.random.uniform() - 1) * limit;
        break;
      }
    }
    return values;
  }
}
