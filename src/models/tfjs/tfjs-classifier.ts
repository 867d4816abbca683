/**
 * The in-process TensorFlow.js implementation of `Classifier`. A model definition (DeepJet,
 * MLP) supplies the network; this class handles backends, batching, training through the
 * loop in src/training, and the model directory:
 *
 * - `model.json`: format marker, model name, input layout, options, and the index of weights.bin;
 * - `weights.bin`: every parameter as little-endian float32, including batch-normalisation
 *   moving averages.
 */

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { GroupLayout, JetArrays } from '../../dataset/types.js';
import { ConfigError, InputError } from '../../errors.js';
import { Random } from '../../random.js';
import type { OptimizedParameter } from '../../training/optimizer.js';
import { trainModelLoop } from '../../training/train-loop.js';
import type { ReplicaSpec } from '../../training/replicas/messages.js';
import type { TrainableModel } from '../../training/trainable.js';
import { Classifier } from '../classifier.js';
import type { ModelInputLayout, TrainOptions, TrainSummary, ValidationResult } from '../classifier.js';
import { OptionReader } from '../options.js';
import type { ModelOptions } from '../options.js';
import { readArrayBundle, writeArrayBundle } from './array-bundle.js';
import type { ArrayIndexEntry } from './array-bundle.js';
import { initTfjsBackend, tfjsBackendNames } from './backend.js';
import type { TfjsBackendInfo } from './backend.js';
import { checkJetArrays, indexRange, makeInputs } from './inputs.js';
import type { ForwardMode } from './layers.js';
import type { Network } from './network.js';
import { ParameterStore } from './parameters.js';

export const modelFileName = 'model.json';
export const weightsFileName = 'weights.bin';

/** A network that `TfjsClassifier` can build, train and save. */
export interface TfjsModelDefinition {
  name: string;
  description: string;
  /** Read this model's options from `reader` and build the network with parameters in `store`. */
  build(layout: ModelInputLayout, reader: OptionReader, store: ParameterStore): Network;
}

/** Contents of model.json. */
export interface SavedModelHeader {
  format: 'bhive-model';
  version: 1;
  model: string;
  backend: 'tfjs';
  layout: ModelInputLayout;
  options: ModelOptions;
  numParameters: number;
  weights: { file: string; dtype: 'float32'; byteOrder: 'little'; arrays: ArrayIndexEntry[] };
}

export class TfjsClassifier extends Classifier implements TrainableModel {
  readonly modelName: string;

  private constructor(
    definition: TfjsModelDefinition,
    readonly layout: ModelInputLayout,
    /** The options as given; unset options take the defaults of this version. */
    readonly options: ModelOptions,
    private readonly network: Network,
    private readonly predictBatchSize: number,
    private readonly backendInfo: TfjsBackendInfo,
  ) {
    super();
    this.modelName = definition.name;
  }

  /**
   * Build a model with freshly initialised weights. Options common to every tfjs model:
   * `seed` (integer, default 1) for the initial weights, `backend` ('auto', 'wasm', 'cpu' or
   * 'tensorflow', default 'auto': see backend.ts), `predictBatchSize` (jets per inference
   * batch, default 2048).
   */
  static async create(definition: TfjsModelDefinition, layout: ModelInputLayout, options: ModelOptions = {}): Promise<TfjsClassifier> {
    checkLayout(definition.name, layout);
    const reader = new OptionReader(definition.name, options);
    const seed = reader.number('seed', 1, { integer: true, min: 0 });
    const backend = reader.string('backend', 'auto', tfjsBackendNames);
    const predictBatchSize = reader.number('predictBatchSize', 2048, { integer: true, min: 1 });
    const backendInfo = await initTfjsBackend(backend);

    const store = new ParameterStore(new Random(seed));
    try {
      const network = definition.build(layout, reader, store);
      reader.rejectUnknownKeys();
      return new TfjsClassifier(definition, layout, structuredClone(options), network, predictBatchSize, backendInfo);
    } catch (error) {
      store.dispose();
      throw error;
    }
  }

  /** Load a model that `save` wrote to `dir`, with `header` read from its model.json. */
  static async load(definition: TfjsModelDefinition, dir: string, header: SavedModelHeader): Promise<TfjsClassifier> {
    const classifier = await TfjsClassifier.create(definition, header.layout, header.options);
    try {
      const values = await readArrayBundle(path.join(dir, header.weights.file), header.weights.arrays);
      classifier.network.parameters.assignValues(values, path.join(dir, header.weights.file));
    } catch (error) {
      classifier.dispose();
      throw error;
    }
    return classifier;
  }

  get numClasses(): number {
    return this.layout.classes.length;
  }

  get numGlobalFeatures(): number {
    return this.layout.numGlobalFeatures;
  }

  inputGroups(): GroupLayout[] {
    return this.layout.groups;
  }

  countParameters(): number {
    return this.network.parameters.countTrainable();
  }

  optimizedParameters(): OptimizedParameter[] {
    return this.network.parameters.trainableParameters.map((p) => ({ name: p.name, variable: p.variable, decay: p.decay }));
  }

  replicaSpec(): ReplicaSpec {
    return { model: this.modelName, layout: this.layout, options: this.options };
  }

  parameterArrays(): Float32Array[] {
    return this.network.parameters.parameters.map((p) => p.variable.dataSync<'float32'>().slice());
  }

  /** Overwrite every parameter with `values`, given in the order of `parameterArrays`. */
  assignParameterArrays(values: Float32Array[]): void {
    assignInOrder(this.network.parameters.parameters.map((p) => p.variable), values);
  }

  nonTrainableArrays(): Float32Array[] {
    return this.nonTrainableVariables().map((v) => v.dataSync<'float32'>().slice());
  }

  assignNonTrainableArrays(values: Float32Array[]): void {
    assignInOrder(this.nonTrainableVariables(), values);
  }

  private nonTrainableVariables(): tf.Variable[] {
    return this.network.parameters.parameters.filter((p) => !p.trainable).map((p) => p.variable);
  }

  override describeBackend(): string {
    const info = this.backendInfo;
    if (info.backend === 'cpu') return `tfjs ${tf.version_core} cpu (pure JavaScript)`;
    if (info.backend === 'tensorflow') return `tfjs ${tf.version_core} tensorflow (TensorFlow C library through ${info.tfjsNode ?? 'tfjs-node'})`;
    const features = [
      info.simd ? 'SIMD' : 'no SIMD',
      info.matMulOverride ? 'transpose-first matmul kernels' : 'stock matmul kernels',
      info.identityOverride ? 'data-sharing Identity kernel' : 'copying Identity kernel',
    ];
    return `tfjs ${tf.version_core} wasm (${features.join(', ')})`;
  }

  checkData(data: JetArrays): void {
    checkJetArrays(data, this.layout);
  }

  /** Compute logits [jets, classes] for the jets at `indices`. Call it inside `tf.tidy`, which frees the inputs. */
  forward(data: JetArrays, indices: ArrayLike<number>, mode: ForwardMode): tf.Tensor {
    return this.network.apply(makeInputs(data, this.layout, indices), mode);
  }

  async trainModel(options: TrainOptions): Promise<TrainSummary> {
    return trainModelLoop(this, options);
  }

  /**
   * Weighted mean cross-entropy and weighted accuracy over the jets with a known label
   * (label >= 0) and a positive weight: Σ wᵢ·(−log pᵢ[labelᵢ]) / Σ wᵢ.
   */
  async validateModel(data: JetArrays): Promise<ValidationResult> {
    this.checkData(data);
    let weightSum = 0;
    let lossSum = 0;
    let correctSum = 0;
    await this.forEachBatch(data, true, (logProbabilities, start, count) => {
      const c = this.numClasses;
      for (let r = 0; r < count; r++) {
        const jet = start + r;
        const label = data.label[jet];
        const weight = data.weight[jet];
        if (label < 0 || !(weight > 0)) continue;
        let best = 0;
        for (let k = 1; k < c; k++) if (logProbabilities[r * c + k] > logProbabilities[r * c + best]) best = k;
        weightSum += weight;
        lossSum -= weight * logProbabilities[r * c + label];
        if (best === label) correctSum += weight;
      }
    });
    if (weightSum === 0) {
      throw new InputError(`none of the ${data.numJets} validation jets has a known label and a positive weight`);
    }
    return { loss: lossSum / weightSum, accuracy: correctSum / weightSum };
  }

  async predictModel(data: JetArrays): Promise<Float32Array> {
    this.checkData(data);
    const result = new Float32Array(data.numJets * this.numClasses);
    await this.forEachBatch(data, false, (probabilities, start) => {
      result.set(probabilities, start * this.numClasses);
    });
    return result;
  }

  /** Write model.json and weights.bin into `dir`, creating it when needed. */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const weightsIndex = await writeArrayBundle(path.join(dir, weightsFileName), this.network.parameters.readValues());
    const header: SavedModelHeader = {
      format: 'bhive-model',
      version: 1,
      model: this.modelName,
      backend: 'tfjs',
      layout: this.layout,
      options: this.options,
      numParameters: this.countParameters(),
      weights: { file: weightsFileName, dtype: 'float32', byteOrder: 'little', arrays: weightsIndex },
    };
    const file = path.join(dir, modelFileName);
    const temporary = `${file}.partial-${process.pid}`;
    await writeFile(temporary, JSON.stringify(header, null, 2) + '\n');
    await rename(temporary, file);
  }

  /** Load the weights in `dir`, a directory that `save` wrote for the same model and options. */
  async restore(dir: string): Promise<void> {
    const header = await readSavedModelHeader(dir);
    if (header.model !== this.modelName) {
      throw new InputError(`${dir} contains a '${header.model}' model, but '${this.modelName}' was expected; load it with loadClassifier, which picks the model from model.json`, { file: dir });
    }
    const file = path.join(dir, header.weights.file);
    this.network.parameters.assignValues(await readArrayBundle(file, header.weights.arrays), file);
  }

  override dispose(): void {
    this.network.parameters.dispose();
  }

  /**
   * Run inference in batches of `predictBatchSize` jets and pass each batch's
   * [batch, classes] log-probabilities (or probabilities) with its first jet index.
   */
  private async forEachBatch(
    data: JetArrays,
    logarithm: boolean,
    consume: (values: Float32Array, start: number, count: number) => void,
  ): Promise<void> {
    const mode: ForwardMode = { training: false };
    for (let start = 0; start < data.numJets; start += this.predictBatchSize) {
      const stop = Math.min(start + this.predictBatchSize, data.numJets);
      const output = tf.tidy(() => {
        const logits = this.forward(data, indexRange(start, stop), mode);
        return logarithm ? tf.logSoftmax(logits) : tf.softmax(logits);
      });
      const values = await output.data<'float32'>();
      output.dispose();
      consume(values, start, stop - start);
    }
  }
}

function assignInOrder(variables: tf.Variable[], values: Float32Array[]): void {
  if (values.length !== variables.length) {
    throw new Error(`${values.length} parameter arrays were given for ${variables.length} parameters`);
  }
  variables.forEach((variable, k) => {
    const value = tf.tensor(values[k], variable.shape);
    variable.assign(value);
    value.dispose();
  });
}

/** Read and check `dir`/model.json. */
export async function readSavedModelHeader(dir: string): Promise<SavedModelHeader> {
  const file = path.join(dir, modelFileName);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${file}; a saved bhive model directory contains ${modelFileName} and ${weightsFileName}`, { file }, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not valid JSON`, { file }, { cause: error });
  }
  if (!isSavedModelHeader(parsed)) {
    throw new InputError(`${file} is not a bhive model file (expected "format": "bhive-model", "version": 1)`, { file });
  }
  return parsed;
}

function isSavedModelHeader(value: unknown): value is SavedModelHeader {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SavedModelHeader>; // narrowed field by field below
  return (
    v.format === 'bhive-model' &&
    v.version === 1 &&
    typeof v.model === 'string' &&
    typeof v.layout === 'object' &&
    typeof v.options === 'object' &&
    typeof v.weights === 'object' &&
    v.weights !== null &&
    Array.isArray(v.weights.arrays)
  );
}

function checkLayout(modelName: string, layout: ModelInputLayout): void {
  const fail = (what: string): never => {
    throw new ConfigError(`invalid input layout for model '${modelName}': ${what}`);
  };
  if (layout.classes.length < 2) fail(`needs at least 2 classes, found ${layout.classes.length}`);
  if (!Number.isInteger(layout.numGlobalFeatures) || layout.numGlobalFeatures < 1) {
    fail(`needs at least 1 global feature, found ${layout.numGlobalFeatures}`);
  }
  const names = new Set<string>();
  for (const group of layout.groups) {
    if (names.has(group.name)) fail(`candidate group '${group.name}' appears twice`);
    names.add(group.name);
    if (!Number.isInteger(group.maxCandidates) || group.maxCandidates < 1) {
      fail(`candidate group '${group.name}' has maxCandidates ${group.maxCandidates}`);
    }
    if (group.features.length < 1) fail(`candidate group '${group.name}' has no features`);
  }
}
