/** Registration of the models that ship with bhive (see docs/models.md). */

import { buildDeepJet, readDeepJetSettings } from './deepjet.js';
import { buildDeepSets, readDeepSetsSettings } from './deepsets.js';
import { buildMlp, readMlpSettings } from './mlp.js';
import { buildParticleNet, readParticleNetSettings } from './particlenet.js';
import { buildParticleTransformer, readParticleTransformerSettings } from './particle-transformer.js';
import { externalDefinition, externalModelFactory, torchDeepJetDefinition, torchPartDefinition } from './external/definitions.js';
import { modelRegistry } from './registry.js';
import type { ModelFactory, ModelRegistry } from './registry.js';
import { readSavedModelHeader, TfjsClassifier } from './tfjs/tfjs-classifier.js';
import type { TfjsModelDefinition } from './tfjs/tfjs-classifier.js';

export const deepJetDefinition: TfjsModelDefinition = {
  name: 'deepjet',
  description: 'DeepJet: per-candidate dense layers and backward LSTMs over charged, neutral and vertex candidates (tfjs)',
  build: (layout, reader, store) => buildDeepJet(layout, readDeepJetSettings(layout, reader), store),
};

export const mlpDefinition: TfjsModelDefinition = {
  name: 'mlp',
  description: 'multilayer perceptron on the global jet features only; small and fast (tfjs)',
  build: (layout, reader, store) => buildMlp(layout, readMlpSettings(reader), store),
};

export const particleTransformerDefinition: TfjsModelDefinition = {
  name: 'particle_transformer',
  description: 'ParticleTransformer (ParT): attention over candidates with pairwise four-vector features as attention bias, then class-token attention (tfjs)',
  build: (layout, reader, store) => buildParticleTransformer(layout, readParticleTransformerSettings(layout, reader), store),
};

export const particleNetDefinition: TfjsModelDefinition = {
  name: 'particlenet',
  description: 'ParticleNet: EdgeConv blocks over k nearest neighbours of one candidate group, mean pooling, dense head (tfjs)',
  build: (layout, reader, store) => buildParticleNet(layout, readParticleNetSettings(layout, reader), store),
};

export const deepSetsDefinition: TfjsModelDefinition = {
  name: 'deepsets',
  description: 'DeepSets: per-candidate dense layers, masked sum or mean per group, jet-level dense layers (tfjs)',
  build: (layout, reader, store) => buildDeepSets(layout, readDeepSetsSettings(layout, reader), store),
};

/** Wrap `definition` as a registry entry that builds and loads it with `TfjsClassifier`. */
export function tfjsModelFactory(definition: TfjsModelDefinition): ModelFactory {
  return {
    name: definition.name,
    description: definition.description,
    create: (layout, options) => TfjsClassifier.create(definition, layout, options),
    load: async (dir) => TfjsClassifier.load(definition, dir, await readSavedModelHeader(dir)),
  };
}

const registered = new WeakSet<ModelRegistry>();

/** Register the built-in models in `registry`. A second call for the same registry does nothing. */
export function registerBuiltinModels(registry: ModelRegistry = modelRegistry): void {
  if (registered.has(registry)) return;
  registry.register(tfjsModelFactory(deepJetDefinition));
  registry.register(tfjsModelFactory(mlpDefinition));
  registry.register(tfjsModelFactory(particleNetDefinition));
  registry.register(tfjsModelFactory(deepSetsDefinition));
  const particleTransformer = tfjsModelFactory(particleTransformerDefinition);
  registry.register(particleTransformer);
  // 'part' is a second name for the same model; saved model directories record 'particle_transformer'.
  registry.register({ ...particleTransformer, name: 'part', description: 'the same as particle_transformer' });
  registry.register(externalModelFactory(externalDefinition));
  registry.register(externalModelFactory(torchDeepJetDefinition));
  registry.register(externalModelFactory(torchPartDefinition));
  registered.add(registry);
}
