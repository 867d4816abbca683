/**
 * The public API of bhive for user task modules and scripts: the task engine's types, the
 * configuration, dataset and predictions readers, the model and backend registries,
 * evaluation and plotting.
 */
export * from './errors.js';
export type { BhiveConfig, CandidateGroup, DiscriminantSpec, FlagGroup } from './config/types.js';
export { loadConfig } from './config/load.js';
export { resolveSampleFiles } from './config/inputs.js';
export type { DatasetManifest, JetArrays } from './dataset/types.js';
export { loadDataset, readManifest } from './dataset/load.js';
export { readPredictions, writePredictions, type Predictions } from './dataset/predictions.js';
export { decodeNpz, encodeNpz } from './dataset/npz.js';
export type { NdArray } from './dataset/npy.js';
export { Classifier, type ModelInputLayout, type EpochMetrics, type TrainOptions, type TrainSummary, type ValidationResult } from './models/classifier.js';
export { modelRegistry, ModelRegistry, createClassifier, loadClassifier, type ModelFactory } from './models/registry.js';
export { registerBuiltinModels, tfjsModelFactory } from './models/register-builtins.js';
export { backendRegistry, registerBuiltinBackends, type ComputeBackend } from './models/backends.js';
export type { TfjsModelDefinition } from './models/tfjs/tfjs-classifier.js';
export type { ModelOptions } from './models/options.js';
export { computeDiscriminant, resolveDiscriminant, selectDiscriminantJets } from './evaluation/discriminants.js';
export { computeRoc } from './evaluation/roc.js';
export { findWorkingPoints } from './evaluation/working-points.js';
export { formatCsv } from './evaluation/csv.js';
export { writePlot, type LinePlotSpec, type LineSeries } from './plotting/index.js';
export { writeFileAtomic } from './plotting/atomic-write.js';
export type { ParameterSpec, ParameterValue } from './tasks/parameters.js';
export type { Requirement, ResolvedParameters, RunContext, TaskDefinition, TaskEnvironment } from './tasks/task.js';
export { TaskRegistry } from './tasks/registry.js';
export type { Reporter } from './tasks/reporter.js';
