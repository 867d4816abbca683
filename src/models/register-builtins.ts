/** Registration of the models that ship with bhive: DeepJet and a small MLP, both on tfjs. */

import { buildDeepJet, readDeepJetSettings } from './deepjet.js';
import { buildMlp, readMlpSettings } from './mlp.js';
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
  registered.add(registry);
}
