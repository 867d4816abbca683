/**
 * Inference: class probabilities for every jet of a sample, from the best model of a
 * training, written as predictions.npz with the truth class, pT, η and weight, and as the
 * TTree `predictions` in predictions.root (see `predictionColumns` for its branches). The
 * sample may be collision data without truth labels (parameter require_labels false).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { predictionColumns, writePredictions, type Predictions } from '../../dataset/predictions.js';
import { loadDataset } from '../../dataset/load.js';
import { registerBuiltinModels } from '../../models/register-builtins.js';
import { loadClassifier } from '../../models/registry.js';
import { exportOnnxModel } from '../../export/export-model.js';
import { OnnxPredictor } from '../../export/onnx-runtime.js';
import { writeTree } from '../../root/writer/index.js';
import type { JetArrays } from '../../dataset/types.js';
import type { TaskDefinition } from '../task.js';

export const inference: TaskDefinition = {
  name: 'Inference',
  description: 'predict class probabilities for every jet of a sample with the best model of a training',
  parameters: [
    { name: 'sample', description: 'sample under inputs.samples in the config to run on', type: 'string', default: 'test', significant: true },
    {
      name: 'require_labels',
      description: 'read truth labels of the sample; false for collision data',
      type: 'boolean',
      default: true,
      significant: true,
    },
    {
      name: 'runtime',
      description: "'tfjs' runs the trained model in process; 'onnxruntime' exports it to onnx/model.onnx and runs that with ONNX Runtime",
      type: 'string',
      choices: ['tfjs', 'onnxruntime'],
      default: 'tfjs',
      significant: true,
    },
  ],
  configKeys: [],
  requires: (p) => [
    { key: 'training', task: 'Training' },
    { key: 'dataset', task: 'DatasetConstruction', overrides: { sample: p.sample, require_labels: p.require_labels } },
  ],
  tag: (p) => (p.runtime === 'tfjs' ? String(p.sample) : `${String(p.sample)}-${String(p.runtime)}`),
  async run({ inputs, parameters, outputDir, reporter }) {
    const { manifest, arrays } = await loadDataset(inputs.dataset);
    registerBuiltinModels();
    const classifier = await loadClassifier(path.join(inputs.training, 'best_model'));
    const runtime = String(parameters.runtime);
    let probabilities: Float32Array;
    let seconds: number;
    try {
      if (classifier.layout.classes.join(',') !== manifest.classes.join(',')) {
        throw new Error(`the model's classes (${classifier.layout.classes.join(', ')}) differ from the dataset's (${manifest.classes.join(', ')})`);
      }

      reporter.info(`Inference: ${arrays.numJets} jets with ${classifier.modelName} on ${runtime === 'onnxruntime' ? 'ONNX Runtime' : classifier.describeBackend()}`);
      if (runtime === 'onnxruntime') {
        classifier.dispose();
        ({ probabilities, seconds } = await predictWithOnnxRuntime(path.join(inputs.training, 'best_model'), path.join(outputDir, 'onnx'), arrays));
      } else {
        const start = performance.now();
        probabilities = await classifier.predictModel(arrays);
        seconds = (performance.now() - start) / 1000;
      }
    } finally {
      // Also on errors, so that an external worker does not keep the process alive.
      classifier.dispose();
    }

    const predictions: Predictions = {
      classes: manifest.classes,
      probabilities,
      label: arrays.label,
      weight: arrays.weight,
      pt: arrays.pt,
      eta: arrays.eta,
      ...(manifest.spectators && arrays.spectators ? { spectators: { names: manifest.spectators, values: arrays.spectators } } : {}),
      ...(manifest.processNames && arrays.process ? { processes: { names: manifest.processNames, index: arrays.process } } : {}),
    };
    await writePredictions(path.join(outputDir, 'predictions.npz'), predictions);
    await writePredictionTree(path.join(outputDir, 'predictions.root'), predictions);
    await writeFile(
      path.join(outputDir, 'predictions.json'),
      `${JSON.stringify({ classes: manifest.classes, spectators: manifest.spectators ?? [], processes: manifest.processNames ?? [], numJets: arrays.numJets, model: classifier.modelName, runtime, seconds }, null, 2)}\n`,
    );
    reporter.info(`Inference: ${Math.round(arrays.numJets / Math.max(seconds, 1e-9))} jets/s`);
  },
};

/** Writes `predictions` as the TTree `predictions` of a ROOT file, one branch per column. */
export async function writePredictionTree(file: string, predictions: Predictions): Promise<void> {
  const columns = predictionColumns(predictions);
  await writeTree(
    file,
    'predictions',
    columns.map((c) => ({ name: c.name, type: c.values instanceof Int32Array ? 'int32' : 'float32' })),
    Object.fromEntries(columns.map((c) => [c.name, c.values])),
    { title: predictionTreeTitle(predictions) },
  );
}

/** Returns the tree title, which names the classes and the process of each `process` index value. */
function predictionTreeTitle(predictions: Predictions): string {
  const title = `bhive predictions for classes ${predictions.classes.join(', ')}`;
  if (!predictions.processes) return title;
  return `${title}; process index: ${predictions.processes.names.map((name, k) => `${k} = ${name}`).join(', ')}`;
}

/**
 * Exports the model in `modelDir` to ONNX in `exportDir` (unchecked, because these jets are
 * predicted with it right away) and predicts `jets` with ONNX Runtime.
 */
async function predictWithOnnxRuntime(modelDir: string, exportDir: string, jets: JetArrays): Promise<{ probabilities: Float32Array; seconds: number }> {
  const summary = await exportOnnxModel(modelDir, exportDir);
  const predictor = await OnnxPredictor.load(summary.modelFile, summary.signature);
  try {
    const start = performance.now();
    const probabilities = await predictor.predict(jets);
    return { probabilities, seconds: (performance.now() - start) / 1000 };
  } finally {
    await predictor.dispose();
  }
}
