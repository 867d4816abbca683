/**
 * Child process of the tfjs-node detection test: builds an MLP with the default ('auto')
 * backend in the working directory it is started in, predicts three jets and prints the
 * backend as JSON.
 */

import * as tf from '@tensorflow/tfjs-core';
import { registerBuiltinModels } from '../../src/models/register-builtins.js';
import { createClassifier } from '../../src/models/registry.js';
import { smallLayout, syntheticJets } from './synthetic-jets.js';

registerBuiltinModels();
const layout = smallLayout();
const classifier = await createClassifier('mlp', layout, { seed: 2 });
const probabilities = await classifier.predictModel(syntheticJets(layout, 3, 1));
process.stdout.write(
  JSON.stringify({ backend: tf.getBackend(), describe: classifier.describeBackend(), sum: probabilities.reduce((a, b) => a + b, 0) }) + '\n',
);
