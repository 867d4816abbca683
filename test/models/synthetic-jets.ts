/**
 * Small synthetic jet sets for model and training tests. They use the NANOX DeepJet layout
 * (15 global features, cpf 25×16, npf 25×6, sv 4×12, six classes) or a smaller one. The
 * class shifts the first global feature, so a model can learn something.
 */

import type { JetArrays } from '../../src/dataset/types.js';
import type { ModelInputLayout } from '../../src/models/classifier.js';
import { Random } from '../../src/random.js';

const classNames = ['b', 'bb', 'lepb', 'c', 'uds', 'g'];

function featureNames(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}_${i}`);
}

/** Return the input layout of configs/nanox_deepjet.yml, with placeholder feature names. */
export function nanoxLayout(): ModelInputLayout {
  return {
    numGlobalFeatures: 15,
    groups: [
      { name: 'cpf', maxCandidates: 25, features: featureNames('cpf', 16) },
      { name: 'npf', maxCandidates: 25, features: featureNames('npf', 6) },
      { name: 'sv', maxCandidates: 4, features: featureNames('sv', 12) },
    ],
    classes: classNames,
  };
}

/** Return a layout with few features and candidates, for fast tests. */
export function smallLayout(): ModelInputLayout {
  return {
    numGlobalFeatures: 4,
    groups: [
      { name: 'cpf', maxCandidates: 3, features: featureNames('cpf', 2) },
      { name: 'npf', maxCandidates: 2, features: featureNames('npf', 2) },
      { name: 'sv', maxCandidates: 2, features: featureNames('sv', 3) },
    ],
    classes: ['b', 'c', 'light'],
  };
}

/** Draw `numJets` random jets for `layout`: weights uniform in [0.25, 1], features normal with a class shift. */
export function syntheticJets(layout: ModelInputLayout, numJets: number, seed: number): JetArrays {
  const random = new Random(seed);
  const label = new Int32Array(numJets);
  const weight = new Float32Array(numJets);
  const global = new Float32Array(numJets * layout.numGlobalFeatures);
  for (let i = 0; i < numJets; i++) {
    label[i] = random.integer(layout.classes.length);
    weight[i] = 0.25 + 0.75 * random.uniform();
    for (let f = 0; f < layout.numGlobalFeatures; f++) {
      global[i * layout.numGlobalFeatures + f] = random.normal() + (f === 0 ? label[i] : 0);
    }
  }
  const groups: Record<string, Float32Array> = {};
  for (const group of layout.groups) {
    const values = new Float32Array(numJets * group.maxCandidates * group.features.length);
    for (let k = 0; k < values.length; k++) values[k] = random.normal();
    groups[group.name] = values;
  }
  const pt = new Float32Array(numJets).fill(50);
  const eta = new Float32Array(numJets);
  return { numJets, global, groups, label, weight, pt, eta };
}
