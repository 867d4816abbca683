/**
 * Inference: class probabilities for every jet of a sample, from the best model of a
 * training, written as predictions.npz with the truth class, pT, η and weight.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writePredictions } from '../../dataset/predictions.js';
import { loadDataset } from '../../dataset/load.js';
import { registerBuiltinModels } from '../../models/register-builtins.js';
import { loadClassifier } from '../../models/registry.js';
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
  ],
  configKeys: [],
  requires: (p) => [
    { key: 'training', task: 'Training' },
    { key: 'dataset', task: 'DatasetConstruction', overrides: { sample: p.sample, require_labels: p.require_labels } },
  ],
  tag: (p) => String(p.sample),
  async run({ inputs, outputDir, reporter }) {
    const { manifest, arrays } = await loadDataset(inputs.dataset);
    registerBuiltinModels();
    const classifier = await loadClassifier(path.join(inputs.training, 'best_model'));
    if (classifier.layout.classes.join(',') !== manifest.classes.join(',')) {
      throw new Error(`the model's classes (${classifier.layout.classes.join(', ')}) differ from the dataset's (${manifest.classes.join(', ')})`);
    }
    reporter.info(`Inference: ${arrays.numJets} jets with ${classifier.modelName}`);
    const start = performance.now();
    const probabilities = await classifier.predictModel(arrays);
    const seconds = (performance.now() - start) / 1000;
    classifier.dispose();
    await writePredictions(path.join(outputDir, 'predictions.npz'), {
      classes: manifest.classes,
      probabilities,
      label: arrays.label,
      weight: arrays.weight,
      pt: arrays.pt,
      eta: arrays.eta,
    });
    await writeFile(
      path.join(outputDir, 'predictions.json'),
      `${JSON.stringify({ classes: manifest.classes, numJets: arrays.numJets, model: classifier.modelName, seconds }, null, 2)}\n`,
    );
    reporter.info(`Inference: ${Math.round(arrays.numJets / Math.max(seconds, 1e-9))} jets/s`);
  },
};
