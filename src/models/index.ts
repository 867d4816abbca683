/**
 * The models layer: the `Classifier` interface, the model registry and the tfjs backend with
 * its model definitions (DeepJet, MLP). Datasets enter as `JetArrays` and a
 * `ModelInputLayout`. What leaves is class probabilities [jets, classes], validation metrics
 * and model directories (model.json and weights.bin) that `loadClassifier` reads back.
 */

export { Classifier } from './classifier.js';
export type { EpochMetrics, ModelInputLayout, TrainOptions, TrainSummary, ValidationResult } from './classifier.js';
export { createClassifier, loadClassifier, ModelRegistry, modelRegistry } from './registry.js';
export type { ModelFactory } from './registry.js';
export { deepJetDefinition, mlpDefinition, registerBuiltinModels, tfjsModelFactory } from './register-builtins.js';
export { deepSetsDefinition, particleNetDefinition } from './register-builtins.js';
export { OptionReader } from './options.js';
export type { JsonValue, ModelOptions } from './options.js';
export { initTfjsBackend, parseTfjsBackendName, tfjsBackendNames } from './tfjs/backend.js';
export type { TfjsBackendInfo, TfjsBackendName, TfjsBackendOptions } from './tfjs/backend.js';
export { installMatMulOverride, isMatMulOverrideInstalled, restoreMatMulKernels } from './tfjs/matmul-override.js';
export { readSavedModelHeader, TfjsClassifier } from './tfjs/tfjs-classifier.js';
export type { SavedModelHeader, TfjsModelDefinition } from './tfjs/tfjs-classifier.js';
export * from './external/index.js';
