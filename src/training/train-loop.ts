/**
 * The training loop for tfjs models. Each epoch draws the training jets by stochastic
 * sampling (weights become keep probabilities), shuffles them and takes AdamW steps on the
 * mean cross-entropy of each batch. It then computes the weighted validation loss and
 * accuracy and writes a checkpoint, the best model so far and the history.
 *
 * All randomness (sampling, shuffling, dropout seeds) comes from one `Random` seeded with
 * `options.seed`, so two runs with the same seed, data and initial weights give identical
 * weights on the same backend.
 */

import { rm } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../errors.js';
import type { EpochMetrics, TrainOptions, TrainSummary } from '../models/classifier.js';
import { DropoutSeeds } from '../models/tfjs/layers.js';
import { Random } from '../random.js';
import { AdamW } from './adamw.js';
import {
  bestModelDirName,
  checkpointDirName,
  writeDirectoryAtomically,
  writeHistory,
  writeOptimizerState,
  writeTrainingState,
} from './checkpoints.js';
import { batchRanges, sampleEpoch } from './sampling.js';
import type { TrainableModel } from './trainable.js';

interface EpochTotals {
  loss: number;
  correct: number;
  jets: number;
}

/** Train `model` with `options` and return the history and the best epoch. */
export async function trainModelLoop(model: TrainableModel, options: TrainOptions): Promise<TrainSummary> {
  checkTrainOptions(options);
  model.checkData(options.train);
  model.checkData(options.validation);

  const random = new Random(options.seed);
  const parameters = model.optimizedParameters();
  const optimizer = new AdamW(parameters, { learningRate: options.learningRate, weightDecay: options.weightDecay });
  const history: EpochMetrics[] = [];
  let bestEpoch = 0;
  let bestValidationLoss = Number.POSITIVE_INFINITY;
  const bestModelDir = path.join(options.outputDir, bestModelDirName);

  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const start = performance.now();
      const totals = await trainEpoch(model, optimizer, options, random);
      const trainSeconds = (performance.now() - start) / 1000;
      const validation = await model.validateModel(options.validation);

      const metrics: EpochMetrics = {
        epoch,
        trainLoss: totals.jets > 0 ? totals.loss / totals.jets : Number.NaN,
        trainAccuracy: totals.jets > 0 ? totals.correct / totals.jets : Number.NaN,
        validationLoss: validation.loss,
        validationAccuracy: validation.accuracy,
        learningRate: optimizer.learningRate,
        numTrainJets: totals.jets,
        jetsPerSecond: trainSeconds > 0 ? totals.jets / trainSeconds : 0,
        seconds: (performance.now() - start) / 1000,
      };
      history.push(metrics);

      if (validation.loss < bestValidationLoss) {
        bestValidationLoss = validation.loss;
        bestEpoch = epoch;
        await writeDirectoryAtomically(bestModelDir, (dir) => model.save(dir));
      }
      await writeDirectoryAtomically(path.join(options.outputDir, checkpointDirName(epoch)), async (dir) => {
        await model.save(dir);
        await writeOptimizerState(dir, optimizer);
        await writeTrainingState(dir, { epoch, seed: options.seed, random: random.getState(), bestEpoch, bestValidationLoss });
      });
      const expired = options.keepCheckpoints === undefined ? 0 : epoch - options.keepCheckpoints;
      if (expired >= 1) await rm(path.join(options.outputDir, checkpointDirName(expired)), { recursive: true, force: true });
      await writeHistory(options.outputDir, history, bestEpoch);
      options.onEpoch?.(metrics);
    }
  } finally {
    optimizer.dispose();
  }

  if (bestEpoch === 0) {
    throw new InputError(
      `no epoch gave a finite validation loss (last: ${history.at(-1)?.validationLoss}); ` +
        'check the inputs for extreme values or lower the learning rate',
    );
  }
  return { history, bestEpoch, bestValidationLoss, bestModelDir };
}

/** Run the batches of one epoch and return the summed loss, correct predictions and jets. */
async function trainEpoch(model: TrainableModel, optimizer: AdamW, options: TrainOptions, random: Random): Promise<EpochTotals> {
  const indices = sampleEpoch(options.train.weight, options.train.label, random);
  const ranges = batchRanges(indices.length, options.batchSize);
  const variables = optimizer.variables();
  const totals: EpochTotals = { loss: 0, correct: 0, jets: 0 };

  for (let b = 0; b < ranges.length; b++) {
    const [start, stop] = ranges[b];
    const batch = indices.subarray(start, stop);
    const labels = new Int32Array(batch.length);
    for (let i = 0; i < batch.length; i++) labels[i] = options.train.label[batch[i]];
    const mode = { training: true, dropoutSeeds: new DropoutSeeds(random.nextUint32()) };

    const { lossValue, correct } = runOutOfMemoryChecked(options.batchSize, () => tf.tidy(() => {
      const labelTensor = tf.tensor1d(labels, 'int32');
      const oneHot = tf.oneHot(labelTensor, model.numClasses);
      let correctCount: tf.Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const logits = model.forward(options.train, batch, mode);
        correctCount = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labelTensor), 'float32')));
        return tf.losses.softmaxCrossEntropy(oneHot, logits);
      }, variables);
      optimizer.applyGradients(variables.map((v) => grads[v.name]));
      return { lossValue: value, correct: correctCount ?? tf.scalar(0) };
    }));

    const loss = (await lossValue.data())[0];
    const numCorrect = (await correct.data())[0];
    lossValue.dispose();
    correct.dispose();
    totals.loss += loss * batch.length;
    totals.correct += numCorrect;
    totals.jets += batch.length;
    options.onBatch?.(b + 1, ranges.length, loss);
  }
  return totals;
}

/**
 * Run `step`, turning a WebAssembly abort into an error that names the batch size. The wasm
 * backend has a 4 GB heap: a DeepJet training step with the NANOX layout fits 2048 jets and
 * aborts at 3072 (measured with tfjs 4.22). The backend is unusable after such an abort.
 */
function runOutOfMemoryChecked<T>(batchSize: number, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      throw new InputError(
        `a training step with batchSize ${batchSize} failed in the wasm backend (${error.message}), most likely out of memory; ` +
          'lower batchSize (DeepJet fits 2048) and start a new process',
        {},
        { cause: error },
      );
    }
    throw error;
  }
}

function checkTrainOptions(options: TrainOptions): void {
  const positiveInteger = (name: string, value: number): void => {
    if (!Number.isInteger(value) || value < 1) {
      throw new InputError(`training option ${name} must be a positive integer; found ${value}`);
    }
  };
  positiveInteger('epochs', options.epochs);
  positiveInteger('batchSize', options.batchSize);
  if (options.keepCheckpoints !== undefined && !(Number.isInteger(options.keepCheckpoints) && options.keepCheckpoints >= 1)) {
    throw new InputError(`training option keepCheckpoints must be a positive integer or undefined; found ${options.keepCheckpoints}`);
  }
  if (!(options.learningRate > 0)) throw new InputError(`training option learningRate must be above 0; found ${options.learningRate}`);
  if (!(options.weightDecay >= 0)) throw new InputError(`training option weightDecay must be 0 or more; found ${options.weightDecay}`);
  if (options.train.numJets === 0) throw new InputError('the training set has no jets');
  if (options.validation.numJets === 0) throw new InputError('the validation set has no jets');
}
