/**
 * Entry point of a worker thread with one replica of a model for data-parallel
 * training. It builds the model from the registry, then for each step loads the parameter
 * values it is sent, computes the loss and gradients of its share of the batch and sends
 * them back with its batch-normalisation moving averages.
 */

import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { JetArrays } from '../../dataset/types.js';
import { registerBuiltinModels } from '../../models/register-builtins.js';
import { createClassifier } from '../../models/registry.js';
import { DropoutSeeds } from '../../models/tfjs/layers.js';
import { indexRange } from '../../models/tfjs/inputs.js';
import { TfjsClassifier } from '../../models/tfjs/tfjs-classifier.js';
import { shareGradients } from '../share-gradients.js';
import type { FromReplica, ShareArrays, ToReplica } from './messages.js';

let model: TfjsClassifier | undefined;

function send(message: FromReplica, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

function asJetArrays(share: ShareArrays): JetArrays {
  return {
    numJets: share.numJets,
    global: share.global,
    groups: share.groups,
    label: share.labels,
    weight: share.weights,
    pt: new Float32Array(0),
    eta: new Float32Array(0),
  };
}

async function handle(message: ToReplica): Promise<void> {
  if (message.type === 'init') {
    registerBuiltinModels();
    const classifier = await createClassifier(message.spec.model, message.spec.layout, message.spec.options);
    if (!(classifier instanceof TfjsClassifier)) {
      classifier.dispose();
      throw new Error(`model '${message.spec.model}' is not a tfjs model, so it has no replicas for data-parallel training`);
    }
    model = classifier;
    send({ type: 'ready', backend: classifier.describeBackend() });
    return;
  }

  if (model === undefined) throw new Error('a replica received a training step before its model was built');
  const replica = model;
  replica.assignParameterArrays(message.parameters);
  const variables = replica.optimizedParameters().map((p) => p.variable);
  const data = asJetArrays(message.share);
  const result = tf.tidy(() =>
    shareGradients(
      replica,
      {
        data,
        indices: indexRange(0, data.numJets),
        labels: message.share.labels,
        weights: message.share.weights,
        batchWeight: message.batchWeight,
        mode: { training: true, dropoutSeeds: new DropoutSeeds(message.dropoutSeed) },
      },
      variables,
    ),
  );

  const gradients = result.gradients.map((g) => g.dataSync<'float32'>().slice());
  const loss = result.loss.dataSync()[0];
  const correct = result.correct.dataSync()[0];
  tf.dispose([result.loss, result.correct, ...result.gradients]);
  const nonTrainable = replica.nonTrainableArrays();
  send({ type: 'result', id: message.id, loss, correct, gradients, nonTrainable }, [...gradients, ...nonTrainable].map((a) => a.buffer as ArrayBuffer));
}

parentPort?.on('message', (message: ToReplica) => {
  handle(message).catch((error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    send({ type: 'error', message: e.message, stack: e.stack });
  });
});
