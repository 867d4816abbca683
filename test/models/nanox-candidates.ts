/**
 * Real jets for model training tests: the NANOX sample with the charged-candidate group `cpf`
 * and only (pT, η) as global features, so that a model must learn flavour from the candidates.
 * Training jets come from train_*.root, test jets from test_*.root.
 */

import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { constructDataset, loadDataset } from '../../src/dataset/index.js';
import type { JetArrays } from '../../src/dataset/types.js';
import type { ModelInputLayout } from '../../src/models/classifier.js';
import { nanoxConfig, nanoxFile } from '../processing/nanox-config.js';

export interface CandidateJets {
  layout: ModelInputLayout;
  train: JetArrays;
  test: JetArrays;
  /** Directory for training output. */
  scratchDir: string;
}

/** Build and load the training and test datasets (about 1 s each). */
export async function nanoxCandidateJets(): Promise<CandidateJets> {
  const base = nanoxConfig();
  const config = nanoxConfig({ globalFeatures: ['global_pt', 'global_eta'], candidates: base.candidates.filter((c) => c.name === 'cpf') });
  const scratchDir = await mkdtemp(path.join(os.tmpdir(), 'bhive-candidate-models-'));
  const load = async (files: string[], name: string): Promise<{ arrays: JetArrays; layout: ModelInputLayout }> => {
    const outputDir = path.join(scratchDir, name);
    await constructDataset({ config, files: files.map(nanoxFile), outputDir, seed: 1, numWorkers: 1 });
    const { manifest, arrays } = await loadDataset(outputDir);
    return { arrays, layout: { numGlobalFeatures: manifest.globalFeatures.length, groups: manifest.groups, classes: manifest.classes } };
  };
  const train = await load(['train_1.root', 'train_2.root', 'train_3.root', 'train_4.root', 'train_5.root'], 'train');
  const test = await load(['test_1.root', 'test_2.root', 'test_3.root', 'test_4.root'], 'test');
  return { layout: train.layout, train: train.arrays, test: test.arrays, scratchDir };
}

/**
 * ROC AUC of b-flavoured jets (classes b, bb, lepb) against light jets (uds, g), with the
 * score P(b-like) / (P(b-like) + P(light)) from probabilities [jets, classes]. Computed as the
 * Mann-Whitney statistic over all signal-background pairs, ties counting one half.
 */
export function bVersusLightAuc(probabilities: Float32Array, jets: JetArrays, classes: string[]): number {
  const bLike = ['b', 'bb', 'lepb'].map((name) => classes.indexOf(name));
  const light = ['uds', 'g'].map((name) => classes.indexOf(name));
  const c = classes.length;
  const signal: number[] = [];
  const background: number[] = [];
  for (let jet = 0; jet < jets.numJets; jet++) {
    let pb = 0;
    let pl = 0;
    for (const k of bLike) pb += probabilities[jet * c + k];
    for (const k of light) pl += probabilities[jet * c + k];
    const score = pb / (pb + pl);
    if (bLike.includes(jets.label[jet])) signal.push(score);
    else if (light.includes(jets.label[jet])) background.push(score);
  }
  let wins = 0;
  for (const s of signal) {
    for (const b of background) {
      if (s > b) wins += 1;
      else if (s === b) wins += 0.5;
    }
  }
  return wins / (signal.length * background.length);
}
