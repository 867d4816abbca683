/**
 * Messages between the training thread and the worker threads that hold model replicas
 * for data-parallel training (see replica-pool.ts).
 */

import type { ModelInputLayout } from '../../models/classifier.js';
import type { ModelOptions } from '../../models/options.js';

/** Description of a model, from which a worker thread builds a copy through the model registry. */
export interface ReplicaSpec {
  model: string;
  layout: ModelInputLayout;
  options: ModelOptions;
}

/** The jets of one share of a batch, gathered into their own arrays (rows in share order). */
export interface ShareArrays {
  numJets: number;
  /** [jets, global features] */
  global: Float32Array;
  /** Per group: [jets, candidates, features] */
  groups: Record<string, Float32Array>;
  labels: Int32Array;
  weights: Float32Array;
}

export type ToReplica =
  | { type: 'init'; spec: ReplicaSpec }
  | {
      type: 'step';
      id: number;
      /** Values of every parameter, trainable or not, in the model's parameter order. */
      parameters: Float32Array[];
      share: ShareArrays;
      batchWeight: number;
      dropoutSeed: number;
    };

export type FromReplica =
  | { type: 'ready'; backend: string }
  | {
      type: 'result';
      id: number;
      loss: number;
      correct: number;
      /** Gradients in the order of the model's trainable parameters. */
      gradients: Float32Array[];
      /** Non-trainable parameters (batch-normalisation moving averages) after the forward pass, in parameter order. */
      nonTrainable: Float32Array[];
    }
  | { type: 'error'; message: string; stack?: string };
