/**
 * The evaluation layer: discriminants from class probabilities, ROC curves and AUC,
 * working points, and the CSV files and plots of them. It reads plain columns
 * (probabilities float32 [jets, classes], labels int32 [jets], optional weights) and
 * does not depend on the model that produced them. Plots go through src/plotting.
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
