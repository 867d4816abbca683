/**
 * Data-parallel training on one machine: worker threads that each hold a replica of the
 * model. For every batch the training thread sends each replica the current parameter values
 * and its share of the jets, computes its own share meanwhile, and adds up the gradients
 * (see train-epoch.ts). The replicas hold no state between steps, so checkpoints and resume
 * work as without them.
 */

import { Worker } from 'node:worker_threads';
import { BhiveError } from '../../errors.js';
import type { FromReplica, ReplicaSpec, ShareArrays, ToReplica } from './messages.js';

/** The reply of one replica for one step. */
export interface ReplicaResult {
  loss: number;
  correct: number;
  gradients: Float32Array[];
  nonTrainable: Float32Array[];
}

interface Pending {
  resolve: (result: ReplicaResult) => void;
  reject: (error: Error) => void;
}

class Replica {
  private pending: Pending | undefined;
  private readyWaiter: { resolve: (backend: string) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;
  private nextId = 1;

  constructor(private readonly worker: Worker, private readonly index: number) {
    worker.on('message', (message: FromReplica) => this.receive(message));
    worker.on('error', (error: Error) => this.fail(new BhiveError(`training replica ${index} failed: ${error.message}`, {}, { cause: error })));
    worker.on('exit', (code) => this.fail(new BhiveError(`training replica ${index} stopped unexpectedly (exit code ${code})`)));
  }

  start(spec: ReplicaSpec): Promise<string> {
    return new Promise((resolve, reject) => {
      this.readyWaiter = { resolve, reject };
      this.post({ type: 'init', spec });
    });
  }

  step(parameters: Float32Array[], share: ShareArrays, batchWeight: number, dropoutSeed: number): Promise<ReplicaResult> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      const transfer = [share.global, share.labels, share.weights, ...Object.values(share.groups)].map((a) => a.buffer as ArrayBuffer);
      this.post({ type: 'step', id: this.nextId++, parameters, share, batchWeight, dropoutSeed }, transfer);
    });
  }

  async terminate(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private post(message: ToReplica, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private receive(message: FromReplica): void {
    if (message.type === 'ready') {
      this.readyWaiter?.resolve(message.backend);
      this.readyWaiter = undefined;
    } else if (message.type === 'result') {
      const pending = this.pending;
      this.pending = undefined;
      pending?.resolve({ loss: message.loss, correct: message.correct, gradients: message.gradients, nonTrainable: message.nonTrainable });
    } else {
      this.fail(new BhiveError(`training replica ${this.index} failed: ${message.message}`));
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.readyWaiter?.reject(error);
    this.readyWaiter = undefined;
    this.pending?.reject(error);
    this.pending = undefined;
  }
}

export class ReplicaPool {
  private constructor(private readonly replicas: Replica[], readonly backend: string) {}

  /**
   * Start `count` worker threads, each building the model of `spec` with the model
   * registry's built-in models. Models registered only in this thread (by `--module`) are
   * unknown there, so the workers fail with an UnknownNameError naming the model.
   */
  static async start(spec: ReplicaSpec, count: number): Promise<ReplicaPool> {
    const url = new URL('./replica-worker.js', import.meta.url);
    const replicas = Array.from({ length: count }, (_, k) => new Replica(new Worker(url), k + 1));
    try {
      const backends = await Promise.all(replicas.map((r) => r.start(spec)));
      return new ReplicaPool(replicas, backends[0] ?? 'none');
    } catch (error) {
      await Promise.all(replicas.map((r) => r.terminate()));
      throw error;
    }
  }

  get size(): number {
    return this.replicas.length;
  }

  /** Send share k to replica k, all with the same parameter values, and wait for every result. */
  step(parameters: Float32Array[], shares: ShareArrays[], batchWeight: number, dropoutSeeds: number[]): Promise<ReplicaResult[]> {
    if (shares.length !== this.replicas.length) throw new Error(`${shares.length} shares for ${this.replicas.length} replicas`);
    return Promise.all(this.replicas.map((r, k) => r.step(parameters, shares[k], batchWeight, dropoutSeeds[k])));
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.terminate()));
  }
}
