/** Training: a classifier trained on a constructed dataset, with checkpoints and the best model. */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { splitJets } from '../../dataset/jet-arrays.js';
import { loadDataset } from '../../dataset/load.js';
import { writeLossCurve } from '../../evaluation/loss-curve.js';
import { registerBuiltinModels } from '../../models/register-builtins.js';
import { createClassifier, modelRegistry } from '../../models/registry.js';
import type { TrainSummary } from '../../models/classifier.js';
import { ConfigError, didYouMean, TaskError } from '../../errors.js';
import type { BhiveConfig } from '../../config/types.js';
import type { ModelOptions } from '../../models/options.js';
import { writeMetricPlots } from '../../training/metric-plots.js';
import { bestModelDirName, listCheckpointEpochs } from '../../training/checkpoints.js';
import { optimizerNames } from '../../training/optimizer.js';
import { parseOptimizerName } from '../../training/optimizers.js';
import { parseScheduleName, scheduleNames } from '../../training/schedules.js';
import type { TaskDefinition } from '../task.js';

export const training: TaskDefinition = {
  name: 'Training',
  description: 'train a classifier on the training dataset; writes checkpoints, the best model and a loss curve',
  parameters: [
    { name: 'model', description: 'model name from the model registry', type: 'string', default: 'deepjet', significant: true },
    { name: 'epochs', description: 'number of training epochs', type: 'integer', default: 40, significant: true, min: 1 },
    { name: 'batch_size', description: 'jets per batch (at most about 2048: the wasm heap is limited to 4 GB)', type: 'integer', default: 128, significant: true, min: 1 },
    { name: 'learning_rate', description: 'learning rate before the schedule lowers it', type: 'number', default: 0.001, significant: true, min: 0 },
    { name: 'weight_decay', description: 'weight decay: decoupled for adamw, an L2 term for adam, sgd and radam', type: 'number', default: 0.01, significant: true, min: 0 },
    { name: 'validation_fraction', description: 'fraction of the training jets held out for validation', type: 'number', default: 0.2, significant: true, min: 0 },
    { name: 'seed', description: 'seed of the split, the initial weights and the sampling', type: 'integer', default: 1, significant: true, min: 0 },
    { name: 'train_sample', description: 'sample used for training', type: 'string', default: 'train', significant: true },
    { name: 'optimizer', description: 'optimiser: adamw (decoupled weight decay), adam, sgd (with momentum) or radam; the last three use weight_decay as an L2 term', type: 'string', default: 'adamw', significant: true, choices: optimizerNames },
    { name: 'momentum', description: 'momentum of the sgd optimiser', type: 'number', default: 0.9, significant: true, min: 0 },
    { name: 'lr_schedule', description: "learning-rate schedule: constant, epoch_lin_decay (b-hive's decay over the last 30% of epochs), batch_decay (exponential, every batch) or cosine (one warm-up epoch)", type: 'string', default: 'constant', significant: true, choices: scheduleNames },
    { name: 'lr_decay_factor', description: 'factor by which epoch_lin_decay and batch_decay lower the learning rate by the last epoch', type: 'number', default: 0.1, significant: true, min: 0 },
    { name: 'gradient_clip_norm', description: 'maximum global L2 norm of the gradients; 0 disables clipping', type: 'number', default: 0, significant: true, min: 0 },
    { name: 'early_stopping_patience', description: 'stop after this many epochs without a validation-loss improvement; 0 disables early stopping', type: 'integer', default: 0, significant: true, min: 0 },
    { name: 'early_stopping_min_delta', description: 'smallest decrease of the validation loss that counts as an improvement', type: 'number', default: 0, significant: true, min: 0 },
    { name: 'sampling', description: 'how jet weights enter training: stochastic (keep each jet with probability equal to its weight, every epoch) or weighted_loss (all jets, weighted cross-entropy)', type: 'string', default: 'stochastic', significant: true, choices: ['stochastic', 'weighted_loss'] },
    {
      name: 'train_threads',
      description: 'threads that compute each batch, data-parallel (worker threads hold copies of the model); batch normalisation then uses the statistics of each share, so the result depends on it',
      type: 'integer',
      default: 1,
      significant: true,
      min: 1,
    },
    {
      name: 'resume',
      description: "continue an interrupted training from the checkpoints kept in <output>.partial/: latest (the default, starts afresh when there are none), an epoch number, or none to discard them",
      type: 'string',
      default: 'latest',
      significant: false,
    },
  ],
  configKeys: ['modelOptions'],
  requires: (p) => [{ key: 'dataset', task: 'DatasetConstruction', overrides: { sample: p.train_sample, require_labels: true } }],
  check(parameters, { config }) {
    registerBuiltinModels();
    modelRegistry.require(String(parameters.model));
    for (const name of Object.keys(config.modelOptions ?? {})) {
      if (modelRegistry.get(name) === undefined) {
        const known = modelRegistry.names();
        throw new ConfigError(`model_options names the model '${name}', which is not registered; registered models: ${known.join(', ')}.${didYouMean(name, known)}`, {
          configFile: config.path,
          configKey: `model_options.${name}`,
        });
      }
    }
    if (Number(parameters.train_threads) > Number(parameters.batch_size)) {
      throw new TaskError(
        `train_threads ${String(parameters.train_threads)} is larger than batch_size ${String(parameters.batch_size)}, which would leave threads without jets; lower train_threads`,
      );
    }
    const fraction = Number(parameters.validation_fraction);
    if (!(fraction > 0 && fraction < 1)) {
      throw new TaskError(`invalid value ${fraction} for parameter 'validation_fraction': expected a fraction above 0 and below 1, such as 0.2`);
    }
    parseResume(String(parameters.resume));
  },
  tag: (p) => `${String(p.model)}-e${String(p.epochs)}-lr${String(p.learning_rate)}`,
  async run({ config, parameters, inputs, outputDir, finalOutputDir, reporter }) {
    const { manifest, arrays } = await loadDataset(inputs.dataset);
    const fraction = Number(parameters.validation_fraction);
    const { train, validation } = splitJets(arrays, fraction, Number(parameters.seed));
    if (train.numJets === 0 || validation.numJets === 0) {
      throw new TaskError(
        `validation_fraction ${fraction} of ${arrays.numJets} jets leaves ${train.numJets} training and ${validation.numJets} validation jets; choose a fraction that leaves jets in both`,
      );
    }
    const model = String(parameters.model);
    const layout = { numGlobalFeatures: manifest.globalFeatures.length, groups: manifest.groups, classes: manifest.classes };
    let classifier;
    try {
      classifier = await createClassifier(model, layout, { ...modelOptionsFor(config, model), seed: Number(parameters.seed) });
    } catch (error) {
      // A model names only its option; the user set it in the config's model_options.
      if (!(error instanceof ConfigError) || error.context.configFile !== undefined) throw error;
      const key = error.context.configKey === undefined ? `model_options.${model}` : `model_options.${model}.${error.context.configKey}`;
      throw new ConfigError(error.message, { configFile: config.path, configKey: key }, { cause: error });
    }
    const epochs = Number(parameters.epochs);
    // Checkpoints go to <final>.partial/, which a killed run leaves behind for the next one to
    // resume from; the output lock keeps other processes away from it.
    const checkpointDir = finalOutputDir === undefined ? outputDir : `${finalOutputDir}.partial`;
    let summary: TrainSummary;
    try {
      const threads = Number(parameters.train_threads);
      const parallel = threads > 1 ? `, data-parallel over ${threads} threads` : '';
      reporter.info(`Training: backend ${classifier.describeBackend()}${parallel}`);
      reporter.info(
        `Training: model ${classifier.modelName} with ${classifier.countParameters().toLocaleString('en-US')} parameters; ` +
          `${train.numJets} training and ${validation.numJets} validation jets`,
      );
      const resume = parseResume(String(parameters.resume));
      if (resume === 'none') await rm(checkpointDir, { recursive: true, force: true });
      await mkdir(checkpointDir, { recursive: true });
      const resumable = await listCheckpointEpochs(checkpointDir);
      if (resume !== 'none' && resumable.length > 0) {
        const from = resume === 'latest' ? resumable[resumable.length - 1] : resume;
        reporter.info(`Training: resuming from the checkpoint of epoch ${from} in ${checkpointDir}`);
      }
      summary = await classifier.trainModel({
        train,
        validation,
        epochs,
        batchSize: Number(parameters.batch_size),
        learningRate: Number(parameters.learning_rate),
        weightDecay: Number(parameters.weight_decay),
        seed: Number(parameters.seed),
        outputDir: checkpointDir,
        optimizer: parseOptimizerName(String(parameters.optimizer)),
        momentum: Number(parameters.momentum),
        schedule: parseScheduleName(String(parameters.lr_schedule)),
        lrDecayFactor: Number(parameters.lr_decay_factor),
        gradientClipNorm: Number(parameters.gradient_clip_norm),
        earlyStoppingPatience: Number(parameters.early_stopping_patience),
        earlyStoppingMinDelta: Number(parameters.early_stopping_min_delta),
        sampling: parameters.sampling === 'weighted_loss' ? 'weighted_loss' : 'stochastic',
        resumeFrom: resume === 'none' ? undefined : resume,
        trainThreads: Number(parameters.train_threads),
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
    } finally {
      // Also on errors, so that an external worker does not keep the process alive.
      classifier.dispose();
    }
    if (checkpointDir !== outputDir) {
      // One rename moves everything, so a kill leaves either the whole .partial/ or none of it.
      // The temporary output directory is still empty at this point.
      await rm(outputDir, { recursive: true, force: true });
      await rename(checkpointDir, outputDir);
    }
    if (summary.stoppedEarly === true) reporter.info(`Training: stopped early after epoch ${summary.history.length} of ${epochs}`);
    await writeFile(path.join(outputDir, 'training_summary.json'), `${JSON.stringify({ ...summary, bestModelDir: bestModelDirName }, null, 2)}\n`);
    writeLossCurve(path.join(outputDir, 'loss_curve'), summary.history);
    writeMetricPlots(outputDir, summary.history);
    reporter.info(`Training: best validation loss ${summary.bestValidationLoss.toFixed(4)} at epoch ${summary.bestEpoch}`);
  },
};

/** Parse the `resume` parameter: 'latest', 'none' or a positive epoch number. */
/**
 * Return the options of `model` in the config's model_options, also when they are given under
 * another name of the same model (such as 'part').
 */
function modelOptionsFor(config: BhiveConfig, model: string): ModelOptions {
  const sections = config.modelOptions ?? {};
  if (sections[model] !== undefined) return sections[model];
  const factory = modelRegistry.require(model);
  for (const [name, options] of Object.entries(sections)) {
    if (modelRegistry.get(name)?.create === factory.create) return options;
  }
  return {};
}

function parseResume(value: string): 'latest' | 'none' | number {
  if (value === 'latest' || value === 'none') return value;
  const epoch = Number(value);
  if (!/^\d+$/.test(value) || epoch < 1) {
    throw new TaskError(`invalid value '${value}' for parameter 'resume': expected latest, none or an epoch number such as 3`);
  }
  return epoch;
}
