/** The data and options that the resume test and its child process share. */

import type { TrainOptions } from '../../src/models/classifier.js';
import type { ModelOptions } from '../../src/models/options.js';
import { smallLayout, syntheticJets } from '../models/synthetic-jets.js';

export const resumeLayout = smallLayout();
export const resumeModelOptions: ModelOptions = { seed: 3, dropout: 0.2 };
const train = syntheticJets(resumeLayout, 300, 21);
const validation = syntheticJets(resumeLayout, 100, 22);

/** Four epochs of SGD with a cosine schedule and clipping, so every kind of state matters. */
export function resumeTrainOptions(outputDir: string, extra: Partial<TrainOptions> = {}): TrainOptions {
  return {
    train,
    validation,
    epochs: 4,
    batchSize: 32,
    learningRate: 0.02,
    weightDecay: 0.01,
    seed: 9,
    outputDir,
    optimizer: 'adam',
    schedule: 'epoch_lin_decay',
    gradientClipNorm: 5,
    ...extra,
  };
}
