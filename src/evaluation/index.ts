/**
 * The evaluation layer. Discriminants come from class probabilities (CMS ratio, ATLAS
 * log-likelihood ratio) or from stored scores. From them it computes ROC curves and AUC,
 * working points, rejection tables, bootstrap bands, efficiencies against pT and η and
 * (pT, η) windows, and writes their CSV, JSON and plot files.
 * It reads plain columns (probabilities float32 [jets, classes], labels int32 [jets],
 * optional weights, pT and η) and does not depend on the model that produced them.
 * `external-input.ts` reads such columns from other frameworks' ROOT or .npz files.
 * Plots go through src/plotting.
 */
export {
  computeDiscriminant,
  resolveDiscriminant,
  scoreDiscriminant,
  selectDiscriminantJets,
  type DiscriminantScores,
  type ResolvedDiscriminant,
} from './discriminants.js';
export { fileSafeName, legendLabel, scoreDiscriminants, type EvaluationInput } from './evaluation-input.js';
export { computeRoc, downsampleRoc, DEFAULT_MAX_ROC_POINTS, type RocCurve, type RocOptions, type RocPoints } from './roc.js';
export { findWorkingPoints, type WorkingPoint, type FindWorkingPointsOptions } from './working-points.js';
export { computeRocs, writeRocPlots, COMBINED_ROC_NAME, type RocPlotOptions, type RocResult } from './roc-report.js';
export {
  computeWorkingPoints,
  writeWorkingPoints,
  WORKING_POINTS_CSV,
  type WorkingPointReportOptions,
  type WorkingPointPlotOptions,
  type WorkingPointResult,
} from './working-point-report.js';
export { writeLossCurve, type LossCurveOptions } from './loss-curve.js';
export { formatCsv, type CsvColumn } from './csv.js';
export { LOG_LIKELIHOOD_EPSILON, type DiscriminantClasses } from './discriminants.js';
export {
  buildDiscriminantJets,
  type DiscriminantJets,
  type EvaluationData,
  type GroupColumns,
  type ReferenceTagger,
} from './discriminant-jets.js';
export { passFractionAbove, binomialFraction, type PassFraction } from './binomial.js';
export { rejectionAtEfficiencies, pointAtEfficiency, type RejectionPoint } from './rejection.js';
export { bootstrapRoc, DEFAULT_BAND_EFFICIENCIES, type BootstrapOptions, type RocBand } from './bootstrap.js';
export { efficiencyInBins, findBin, quantileEdges, type BinnedEfficiency } from './binned-efficiency.js';
export { evaluateWindows, selectWindow, type WindowResult } from './windows.js';
export {
  evaluateTagger,
  DEFAULT_NUM_KINEMATIC_BINS,
  type DiscriminantEvaluation,
  type EvaluationPlan,
  type EvaluationProgress,
  type KinematicEfficiencies,
} from './evaluate.js';
export { writeEvaluation, SUMMARY_ROC_POINTS, type EvaluationOutputOptions } from './evaluation-output.js';
export { EVALUATION_SUMMARY_FILE, EVALUATION_SUMMARY_VERSION, type EvaluationSummary, type DiscriminantSummary } from './summary.js';
export {
  loadEvaluateConfig,
  parseEvaluateConfig,
  labelClassNames,
  type ColumnRef,
  type EvaluateConfig,
  type ExternalInputSpec,
  type LabelSpec,
  type ReferenceTaggerSpec,
} from './evaluate-config.js';
export { readExternalInput, type ExternalInput } from './external-input.js';
