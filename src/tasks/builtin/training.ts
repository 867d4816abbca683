/** Training: a classifier trained on a constructed dataset, with checkpoints and the best model. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { splitJets } from '../../dataset/jet-arrays.js';
import { loadDataset } from '../../dataset/load.js';
import { writeLossCurve } from '../../evaluation/loss-curve.js';
import { registerBuiltinModels } from '../../models/register-builtins.js';
import { createClassifier, modelRegistry } from '../../models/registry.js';
import { TaskError } from '../../errors.js';
import type { TaskDefinition } from '../task.js';

export const training: TaskDefinition = {
  name: 'Training',
  description: 'train a classifier on the training dataset; writes checkpoints, the best model and a loss curve',
  parameters: [
    { name: 'model', description: 'model name from the model registry', type: 'string', default: 'deepjet', significant: true },
    { name: 'epochs', description: 'number of training epochs', type: 'integer', default: 40, significant: true, min: 1 },
    { name: 'batch_size', description: 'jets per batch (at most about 2048: the wasm heap is limited to 4 GB)', type: 'integer', default: 128, significant: true, min: 1 },
    { name: 'learning_rate', description: 'AdamW learning rate', type: 'number', default: 0.001, significant: true, min: 0 },
    { name: 'weight_decay', description: 'AdamW decoupled weight decay', type: 'number', default: 0.01, significant: true, min: 0 },
    { name: 'validation_fraction', description: 'fraction of the training jets held out for validation', type: 'number', default: 0.2, significant: true, min: 0 },
    { name: 'seed', description: 'seed of the split, the initial weights and the sampling', type: 'integer', default: 1, significant: true, min: 0 },
    { name: 'train_sample', description: 'sample used for training', type: 'string', default: 'train', significant: true },
  ],
  configKeys: [],
  requires: (p) => [{ key: 'dataset', task: 'DatasetConstruction', overrides: { sample: p.train_sample, require_labels: true } }],
  check(parameters) {
    registerBuiltinModels();
    modelRegistry.require(String(parameters.model));
    const fraction = Number(parameters.validation_fraction);
    if (!(fraction > 0 && fraction < 1)) {
      throw new TaskError(`invalid value ${fraction} for parameter 'validation_fraction': expected a fraction above 0 and below 1, such as 0.2`);
    }
  },
  tag: (p) => `${String(p.model)}-e${String(p.epochs)}-lr${String(p.learning_rate)}`,
  async run({ parameters, inputs, outputDir, reporter }) {
    const { manifest, arrays } = await loadDataset(inputs.dataset);
    const fraction = Number(parameters.validation_fraction);
    const { train, validation } = splitJets(arrays, fraction, Number(parameters.seed));
    if (train.numJets === 0 || validation.numJets === 0) {
      throw new TaskError(
        `validation_fraction ${fraction} of ${arrays.numJets} jets leaves ${train.numJets} training and ${validation.numJets} validation jets; choose a fraction that leaves jets in both`,
      );
    }
    const classifier = await createClassifier(String(parameters.model), {
      numGlobalFeatures: manifest.globalFeatures.length,
      groups: manifest.groups,
      classes: manifest.classes,
    }, { seed: Number(parameters.seed) });
    reporter.info(
      `Training: model ${classifier.modelName} with ${classifier.countParameters().toLocaleString('en-US')} parameters; ` +
        `${train.numJets} training and ${validation.numJets} validation jets`,
    );
    const epochs = Number(parameters.epochs);
    const summary = await classifier.trainModel({
      train,
      validation,
      epochs,
      batchSize: Number(parameters.batch_size),
      learningRate: Number(parameters.learning_rate),
      weightDecay: Number(parameters.weight_decay),
      seed: Number(parameters.seed),
      outputDir,
      onBatch: (batch, numBatches, loss) => reporter.progress(`epoch`, batch, numBatches, `loss ${loss.toFixed(4)}`),
      onEpoch: (m) => {
        reporter.endProgress();
        reporter.info(
          `epoch ${m.epoch}/${epochs}: train loss ${m.trainLoss.toFixed(4)} acc ${m.trainAccuracy.toFixed(3)}, ` +
            `validation loss ${m.validationLoss.toFixed(4)} acc ${m.validationAccuracy.toFixed(3)}, ` +
            `${m.numTrainJets} jets, ${Math.round(m.jetsPerSecond)} jets/s, ${m.seconds.toFixed(1)} s`,
        );
      },
    });
    classifier.dispose();
    await writeFile(path.join(outputDir, 'training_summary.json'), `${JSON.stringify({ ...summary, bestModelDir: path.relative(outputDir, summary.bestModelDir) }, null, 2)}\n`);
    writeLossCurve(path.join(outputDir, 'loss_curve'), summary.history);
    reporter.info(`Training: best validation loss ${summary.bestValidationLoss.toFixed(4)} at epoch ${summary.bestEpoch}`);
  },
};
