/**
 * A `Classifier` whose network lives in a separate worker program, in any language, that
 * speaks the external-trainer protocol (docs/external-trainer.md). bhive keeps the data
 * loading, sampling, batching, schedule, validation metrics and checkpoint layout. The worker
 * computes forward passes and optimiser steps, and it writes its own weight files.
 */

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JetArrays } from '../../dataset/types.js';
import { ConfigError, InputError } from '../../errors.js';
import { Classifier } from '../classifier.js';
import type { ModelInputLayout, TrainOptions, TrainSummary, ValidationResult } from '../classifier.js';
import type { JsonValue, ModelOptions } from '../options.js';
import { OptionReader } from '../options.js';
import { checkJetArrays, gatherRows, indexRange } from '../tfjs/inputs.js';
import { trainExternalLoop } from './external-train-loop.js';
import type { ExternalTrainable } from './external-train-loop.js';
import { protocolVersion, ProtocolError } from './protocol.js';
import type { Payload } from './protocol.js';
import { readExternalHeader, writeExternalHeader } from './saved-model.js';
import { WorkerProcess } from './worker-process.js';

/** The worker command and architecture of a registered external model. */
export interface ExternalModelDefinition {
  name: string;
  description: string;
  /** Build the worker's command (program and arguments) from the model options. */
  command(options: ModelOptions): string[];
  /** The architecture name sent in `hello`. */
  architecture(options: ModelOptions): string;
}

/** Keys that bhive reads itself; every other option goes to the worker in `hello`. */
const bhiveOptionKeys = ['command', 'architecture', 'python', 'timeoutSeconds', 'predictBatchSize', 'seed'];

export class ExternalClassifier extends Classifier implements ExternalTrainable {
  readonly modelName: string;
  private disposed = false;

  private constructor(
    definition: ExternalModelDefinition,
    readonly layout: ModelInputLayout,
    readonly options: ModelOptions,
    private readonly worker: WorkerProcess,
    private readonly architecture: string,
    private readonly backend: string,
    private readonly numParameters: number,
    private readonly predictBatchSize: number,
  ) {
    super();
    this.modelName = definition.name;
  }

  /**
   * Start the worker and build an untrained model. bhive reads the options `timeoutSeconds`
   * (per request, default 300), `predictBatchSize` (jets per `predict`, default 2048) and
   * `seed` (initial weights, default 1). The definition reads `command`, `architecture` or
   * `python`. All other options go to the worker, which rejects those it does not know.
   */
  static async create(definition: ExternalModelDefinition, layout: ModelInputLayout, options: ModelOptions = {}): Promise<ExternalClassifier> {
    const reader = new OptionReader(definition.name, options);
    const timeoutSeconds = reader.number('timeoutSeconds', 300, { min: 0.001 });
    const predictBatchSize = reader.number('predictBatchSize', 2048, { integer: true, min: 1 });
    const seed = reader.number('seed', 1, { integer: true, min: 0 });
    const command = definition.command(options);
    const architecture = definition.architecture(options);
    const workerOptions: { [key: string]: JsonValue } = {};
    for (const [key, value] of Object.entries(options)) if (!bhiveOptionKeys.includes(key)) workerOptions[key] = value;

    const worker = new WorkerProcess(command, { timeoutSeconds });
    try {
      const ready = await worker.request({ type: 'hello', protocol: protocolVersion, architecture, layout, options: workerOptions, seed }, [], 'ready');
      if (ready.message.protocol !== protocolVersion) {
        throw new ProtocolError(`worker '${command.join(' ')}' speaks protocol ${String(ready.message.protocol)}; bhive speaks ${protocolVersion}`);
      }
      const numParameters = Number(ready.message.numParameters);
      const backend = `external worker ${path.basename(command[0])} ${String(ready.message.backend ?? 'unnamed backend')}`;
      return new ExternalClassifier(definition, layout, structuredClone(options), worker, architecture, backend, numParameters, predictBatchSize);
    } catch (error) {
      worker.kill();
      throw error;
    }
  }

  /** Start a worker for the model saved in `dir` and load its weights. */
  static async load(definition: ExternalModelDefinition, dir: string): Promise<ExternalClassifier> {
    const header = await readExternalHeader(dir);
    const classifier = await ExternalClassifier.create(definition, header.layout, header.options);
    try {
      await classifier.loadFrom(dir, false);
    } catch (error) {
      classifier.dispose();
      throw error;
    }
    return classifier;
  }

  /** Process id of the worker, for tests and diagnostics. */
  get workerPid(): number | undefined {
    return this.worker.pid;
  }

  get numClasses(): number {
    return this.layout.classes.length;
  }

  countParameters(): number {
    return this.numParameters;
  }

  override describeBackend(): string {
    return this.backend;
  }

  checkData(data: JetArrays): void {
    checkJetArrays(data, this.layout);
  }

  async trainModel(options: TrainOptions): Promise<TrainSummary> {
    if ((options.trainThreads ?? 1) > 1) {
      throw new ConfigError(
        `train_threads ${options.trainThreads} applies to tfjs models only; the external worker of '${this.modelName}' chooses its own threads (PyTorch worker: option 'threads'). Set train_threads to 1`,
      );
    }
    return trainExternalLoop(this, options);
  }

  async beginTraining(options: TrainOptions): Promise<void> {
    await this.worker.request(
      {
        type: 'train_begin',
        optimizer: options.optimizer ?? 'adamw',
        learningRate: options.learningRate,
        weightDecay: options.weightDecay,
        momentum: options.momentum ?? 0.9,
        gradientClipNorm: options.gradientClipNorm ?? 0,
      },
      [],
      'ok',
    );
  }

  async trainBatch(
    data: JetArrays,
    indices: Int32Array,
    step: { epoch: number; batch: number; numBatches: number; learningRate: number; seed: number; weighted: boolean },
  ): Promise<{ loss: number; correct: number; weightSum: number }> {
    const payloads = this.inputPayloads(data, indices);
    const labels = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) labels[i] = data.label[indices[i]];
    payloads.push({ name: 'label', shape: [indices.length], values: labels });
    if (step.weighted) payloads.push({ name: 'weight', shape: [indices.length], values: gatherRows(data.weight, 1, indices) });
    const message = { type: 'train_batch', epoch: step.epoch, batch: step.batch, numBatches: step.numBatches, learningRate: step.learningRate, seed: step.seed };
    const reply = await this.worker.request(message, payloads, 'batch_result');
    const { loss, correct, weightSum } = reply.message;
    if (typeof loss !== 'number' || typeof correct !== 'number' || typeof weightSum !== 'number') {
      throw new ProtocolError(`worker's batch_result lacks numeric "loss", "correct" and "weightSum": ${JSON.stringify(reply.message)}`);
    }
    return { loss, correct, weightSum };
  }

  /**
   * Weighted mean cross-entropy and weighted accuracy over the jets with a known label and a
   * positive weight: Σ wᵢ·(−log pᵢ[labelᵢ]) / Σ wᵢ, as for tfjs models.
   */
  async validateModel(data: JetArrays): Promise<ValidationResult> {
    this.checkData(data);
    const c = this.numClasses;
    let weightSum = 0;
    let lossSum = 0;
    let correctSum = 0;
    await this.forEachBatch(data, (logProbabilities, start, count) => {
      for (let r = 0; r < count; r++) {
        const label = data.label[start + r];
        const weight = data.weight[start + r];
        if (label < 0 || !(weight > 0)) continue;
        let best = 0;
        for (let k = 1; k < c; k++) if (logProbabilities[r * c + k] > logProbabilities[r * c + best]) best = k;
        weightSum += weight;
        lossSum -= weight * logProbabilities[r * c + label];
        if (best === label) correctSum += weight;
      }
    });
    if (weightSum === 0) throw new InputError(`none of the ${data.numJets} validation jets has a known label and a positive weight`);
    return { loss: lossSum / weightSum, accuracy: correctSum / weightSum };
  }

  /** Return class probabilities, float32 [jets, classes], from the worker's log-probabilities. */
  async predictModel(data: JetArrays): Promise<Float32Array> {
    this.checkData(data);
    const result = new Float32Array(data.numJets * this.numClasses);
    await this.forEachBatch(data, (logProbabilities, start) => {
      const offset = start * this.numClasses;
      for (let i = 0; i < logProbabilities.length; i++) result[offset + i] = Math.exp(logProbabilities[i]);
    });
    return result;
  }

  async save(dir: string): Promise<void> {
    await this.saveTo(dir, false);
  }

  async saveTo(dir: string, withOptimizer: boolean): Promise<void> {
    await mkdir(dir, { recursive: true });
    const reply = await this.worker.request({ type: 'save', dir: path.resolve(dir), optimizer: withOptimizer }, [], 'saved');
    const files = reply.message.files;
    if (!Array.isArray(files) || files.length === 0 || !files.every((f) => typeof f === 'string')) {
      throw new ProtocolError(`worker's 'saved' reply must list the written files in "files"; found ${JSON.stringify(files)}`);
    }
    const optimizerFiles = reply.message.optimizerFiles ?? [];
    if (!Array.isArray(optimizerFiles) || !optimizerFiles.every((f) => typeof f === 'string')) {
      throw new ProtocolError(`worker's 'saved' reply has an invalid "optimizerFiles": ${JSON.stringify(optimizerFiles)}`);
    }
    for (const file of [...files, ...optimizerFiles]) {
      if (path.basename(file) !== file || !existsSync(path.join(dir, file))) {
        throw new ProtocolError(`worker reported the file '${file}', which is not a plain file name in ${dir}`);
      }
    }
    await writeExternalHeader(dir, {
      format: 'bhive-model',
      version: 1,
      model: this.modelName,
      backend: 'external',
      layout: this.layout,
      options: this.options,
      numParameters: this.numParameters,
      weights: { file: files[0], arrays: [] },
      external: { protocol: protocolVersion, architecture: this.architecture, files, optimizerFiles },
    });
  }

  async loadFrom(dir: string, withOptimizer: boolean): Promise<void> {
    const header = await readExternalHeader(dir);
    if (header.model !== this.modelName) {
      throw new InputError(`${dir} contains a '${header.model}' model, but '${this.modelName}' was expected; load it with loadClassifier`, { file: dir });
    }
    await this.worker.request({ type: 'load', dir: path.resolve(dir), optimizer: withOptimizer, files: header.external.files, optimizerFiles: header.external.optimizerFiles }, [], 'loaded');
  }

  /** Stop the worker: ask it to shut down, and kill it when it does not exit within 5 s. */
  async close(): Promise<void> {
    this.disposed = true;
    await this.worker.close();
  }

  /** Kill the worker process at once. Use `close` for an orderly shutdown. */
  override dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.worker.kill();
  }

  private inputPayloads(data: JetArrays, indices: ArrayLike<number>): Payload[] {
    const n = indices.length;
    const payloads: Payload[] = [
      { name: 'global', shape: [n, this.layout.numGlobalFeatures], values: gatherRows(data.global, this.layout.numGlobalFeatures, indices) },
    ];
    for (const group of this.layout.groups) {
      const rowSize = group.maxCandidates * group.features.length;
      payloads.push({ name: `group:${group.name}`, shape: [n, group.maxCandidates, group.features.length], values: gatherRows(data.groups[group.name], rowSize, indices) });
    }
    return payloads;
  }

  /** Request log-probabilities [batch, classes] in batches of `predictBatchSize` jets and pass each with its first jet index. */
  private async forEachBatch(data: JetArrays, consume: (logProbabilities: Float32Array, start: number, count: number) => void): Promise<void> {
    for (let start = 0; start < data.numJets; start += this.predictBatchSize) {
      const stop = Math.min(start + this.predictBatchSize, data.numJets);
      const reply = await this.worker.request({ type: 'predict' }, this.inputPayloads(data, indexRange(start, stop)), 'predictions');
      const output = reply.payloads.find((p) => p.name === 'logProbabilities');
      if (output === undefined || !(output.values instanceof Float32Array) || output.values.length !== (stop - start) * this.numClasses) {
        throw new ProtocolError(
          `worker's 'predictions' reply must carry float32 'logProbabilities' [${stop - start}, ${this.numClasses}]; ` +
            `found ${output === undefined ? 'none' : `shape [${output.shape.join(', ')}]`}`,
        );
      }
      consume(output.values, start, stop - start);
    }
  }
}

/** Path of the PyTorch reference worker, found from this module's location in the package. */
export function pytorchWorkerScript(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new ConfigError('workers/pytorch/bhive_torch_worker.py not found: no package.json above the bhive modules');
    dir = parent;
  }
  return path.join(dir, 'workers', 'pytorch', 'bhive_torch_worker.py');
}

/**
 * Default Python for the PyTorch worker: $BHIVE_PYTHON when set, else Debian's
 * /usr/bin/python3 (where the python3-torch package installs torch) when it exists, else
 * `python3` from PATH.
 */
export function defaultPython(): string {
  const fromEnvironment = process.env.BHIVE_PYTHON;
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}
