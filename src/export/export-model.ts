/**
 * Export of a saved bhive model as ONNX: `model.onnx`, and `model_inputs.json` describing
 * the inputs (names, shapes, feature order, pad values), the output classes and the
 * preprocessing inside the graph. With check jets given, the export runs them through ONNX
 * Runtime and through the tfjs model and fails when any probability differs by more than
 * the tolerance.
 */

import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JetArrays } from '../dataset/types.js';
import { BhiveError, InputError } from '../errors.js';
import { registerBuiltinModels } from '../models/register-builtins.js';
import { loadClassifier } from '../models/registry.js';
import { readArrayBundle } from '../models/tfjs/array-bundle.js';
import { readSavedModelHeader } from '../models/tfjs/tfjs-classifier.js';
import { OptionReader } from '../models/options.js';
import { onnxOpsetVersion } from './onnx-graph.js';
import { buildOnnxModel, type OnnxSignature } from './onnx-models.js';
import { OnnxPredictor, onnxRuntimeVersion } from './onnx-runtime.js';

export const onnxFileName = 'model.onnx';
export const onnxInputsFileName = 'model_inputs.json';

export interface ExportOptions {
  /** Names of the global features in input order (the dataset manifest's); default `global_<k>`. */
  globalFeatures?: string[];
  /** Pad value of each candidate group, keyed by group name, as the dataset used it; recorded in the JSON file. */
  padValues?: Record<string, number>;
  /** Jets to compare ONNX Runtime against the tfjs model on; no check without them. */
  checkJets?: JetArrays;
  /** Largest accepted absolute difference of a probability; default 1e-5. */
  tolerance?: number;
  /** Version written as the ONNX producer version. */
  producerVersion?: string;
}

export interface ExportCheck {
  numJets: number;
  maxAbsDifference: number;
  tolerance: number;
  onnxRuntimeVersion: string;
}

export interface ExportSummary {
  modelFile: string;
  inputsFile: string;
  signature: OnnxSignature;
  check?: ExportCheck;
}

/** The contents of model_inputs.json. */
export interface OnnxInputsDescription {
  format: 'bhive-onnx-inputs';
  version: 1;
  model: string;
  opset: number;
  classes: string[];
  inputs: Array<{
    name: string;
    shape: Array<number | string>;
    /** Feature names in the order of the last axis. */
    features: string[];
    /** The candidate group feeding this input; absent for the global features. */
    group?: string;
    /** Value of padded candidate slots; absent for the global features or when unknown. */
    padValue?: number;
  }>;
  output: { name: string; shape: Array<number | string>; classes: string[] };
  preprocessing: string[];
  check?: ExportCheck;
}

/**
 * Writes `model.onnx` and `model_inputs.json` for the model saved in `modelDir` into
 * `outputDir` (created when needed; each file through a temporary name).
 * @throws BhiveError when the ONNX Runtime check exceeds the tolerance.
 */
export async function exportOnnxModel(modelDir: string, outputDir: string, options: ExportOptions = {}): Promise<ExportSummary> {
  const header = await readSavedModelHeader(modelDir);
  const weights = await readArrayBundle(path.join(modelDir, header.weights.file), header.weights.arrays);
  const { graph, signature } = buildOnnxModel(header, weights);
  const inputClip = new OptionReader(header.model, header.options).number('inputClip', 10);
  const bytes = graph.encodeModel({
    producerVersion: options.producerVersion ?? '',
    docString: `bhive ${header.model} tagger for classes ${header.layout.classes.join(', ')}`,
    metadata: { classes: header.layout.classes.join(','), model: header.model },
  });
  await mkdir(outputDir, { recursive: true });
  const modelFile = path.join(outputDir, onnxFileName);
  await writeAtomically(modelFile, bytes);

  let check: ExportCheck | undefined;
  if (options.checkJets !== undefined) {
    check = await compareWithTfjs(modelDir, modelFile, signature, options.checkJets, options.tolerance ?? 1e-5);
  }

  const groupsByName = new Map(header.layout.groups.map((g) => [g.name, g]));
  const description: OnnxInputsDescription = {
    format: 'bhive-onnx-inputs',
    version: 1,
    model: header.model,
    opset: onnxOpsetVersion,
    classes: header.layout.classes,
    inputs: signature.inputs.map((input) => {
      if (input.source.kind === 'global') {
        return { name: input.name, shape: input.dims, features: globalFeatureNames(header.layout.numGlobalFeatures, options.globalFeatures) };
      }
      const group = groupsByName.get(input.source.group);
      const padValue = options.padValues?.[input.source.group];
      return {
        name: input.name,
        shape: input.dims,
        features: group?.features ?? [],
        group: input.source.group,
        ...(padValue === undefined ? {} : { padValue }),
      };
    }),
    output: { name: signature.output.name, shape: signature.output.dims, classes: header.layout.classes },
    preprocessing: [
      'inside the graph: every NaN or ±Infinity input value is replaced by 0',
      `inside the graph: each feature is normalised with the training moving mean and variance (epsilon 1e-3) and clipped to ±${inputClip}`,
      'inside the graph: the output is a softmax over the classes, so each row sums to 1',
      'outside the graph: candidates are sorted and padded (or truncated) to the input length as in the training dataset',
    ],
    ...(check === undefined ? {} : { check }),
  };
  const inputsFile = path.join(outputDir, onnxInputsFileName);
  await writeAtomically(inputsFile, Buffer.from(`${JSON.stringify(description, null, 2)}\n`));
  return { modelFile, inputsFile, signature, ...(check === undefined ? {} : { check }) };
}

/** Returns the given global feature names, or `global_<k>` when none are given. */
function globalFeatureNames(count: number, names: string[] | undefined): string[] {
  if (names === undefined) return Array.from({ length: count }, (_, k) => `global_${k}`);
  if (names.length !== count) {
    throw new InputError(`${names.length} global feature names were given for a model with ${count} global features`);
  }
  return names;
}

async function compareWithTfjs(
  modelDir: string,
  modelFile: string,
  signature: OnnxSignature,
  jets: JetArrays,
  tolerance: number,
): Promise<ExportCheck> {
  registerBuiltinModels();
  const classifier = await loadClassifier(modelDir);
  let expected: Float32Array;
  try {
    expected = await classifier.predictModel(jets);
  } finally {
    classifier.dispose();
  }
  const predictor = await OnnxPredictor.load(modelFile, signature);
  let actual: Float32Array;
  try {
    actual = await predictor.predict(jets);
  } finally {
    await predictor.dispose();
  }
  let maxAbsDifference = 0;
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(expected[i] - actual[i]);
    // A NaN difference must fail the check, so it is compared with `!(<=)`.
    if (!(difference <= maxAbsDifference)) maxAbsDifference = Number.isNaN(difference) ? Infinity : difference;
  }
  if (!(maxAbsDifference <= tolerance)) {
    throw new BhiveError(
      `the ONNX model ${modelFile} differs from the tfjs model ${modelDir} by up to ${maxAbsDifference.toExponential(3)} ` +
        `in the probabilities of ${jets.numJets} jets, more than the tolerance ${tolerance}; the export is not usable`,
      { file: modelFile },
    );
  }
  return { numJets: jets.numJets, maxAbsDifference, tolerance, onnxRuntimeVersion: onnxRuntimeVersion() };
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${file}.partial-${process.pid}`;
  await writeFile(temporary, bytes);
  await rename(temporary, file);
}
