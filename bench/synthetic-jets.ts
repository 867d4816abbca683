/** Synthetic jets in the DeepJet input shapes, shared by the benchmarks that time models. */
import type { JetArrays } from '../src/dataset/types.js';
import type { ModelInputLayout } from '../src/models/classifier.js';
import { Random } from '../src/random.js';

/** DeepJet's inputs: 15 global features; 25 charged (16 features), 25 neutral (6) and 4 vertex (12) candidates; six classes. */
export const DEEPJET_LAYOUT: ModelInputLayout = {
  numGlobalFeatures: 15,
  groups: [
    { name: 'cpf', maxCandidates: 25, features: Array.from({ length: 16 }, (_, i) => `cpf_${i}`) },
    { name: 'npf', maxCandidates: 25, features: Array.from({ length: 6 }, (_, i) => `npf_${i}`) },
    { name: 'sv', maxCandidates: 4, features: Array.from({ length: 12 }, (_, i) => `sv_${i}`) },
  ],
  classes: ['b', 'bb', 'lepb', 'c', 'uds', 'g'],
};

/** Return `numJets` jets with standard-normal features, uniformly random labels, weight 1 and pT 50 GeV. */
export function syntheticJets(layout: ModelInputLayout, numJets: number, seed: number): JetArrays {
  const random = new Random(seed);
  const fill = (n: number): Float32Array => Float32Array.from({ length: n }, () => random.normal());
  const groups: Record<string, Float32Array> = {};
  for (const group of layout.groups) groups[group.name] = fill(numJets * group.maxCandidates * group.features.length);
  return {
    numJets,
    global: fill(numJets * layout.numGlobalFeatures),
    groups,
    label: Int32Array.from({ length: numJets }, () => random.integer(layout.classes.length)),
    weight: new Float32Array(numJets).fill(1),
    pt: new Float32Array(numJets).fill(50),
    eta: new Float32Array(numJets),
  };
}
