/** Working points of every discriminant, written as one CSV table and a plot per discriminant. */
import path from 'node:path';
import type { DiscriminantSpec } from '../config/types.js';
import { decadeFloor, writeFileAtomic, writePlot } from '../plotting/index.js';
import { formatCsv } from './csv.js';
import type { DiscriminantClasses } from './discriminants.js';
import { fileSafeName, legendLabel, scoreDiscriminants, type EvaluationInput } from './evaluation-input.js';
import { computeRoc, downsampleRoc, DEFAULT_MAX_ROC_POINTS, type RocPoints } from './roc.js';
import { findWorkingPoints, type WorkingPoint } from './working-points.js';

/** The working points of one discriminant on one sample. */
export interface WorkingPointResult {
  name: string;
  /** Legend text, such as "DeepJet BvsL". */
  label: string;
  discriminant: DiscriminantClasses;
  /** One per target mistag rate, in the order given. */
  workingPoints: WorkingPoint[];
  /** Down-sampled efficiencies against threshold, for the plot. */
  curve: RocPoints;
}

export interface WorkingPointReportOptions {
  /** Points kept per curve in the plots; default DEFAULT_MAX_ROC_POINTS. */
  maxPoints?: number;
}

export interface WorkingPointPlotOptions {
  /** PNG width in pixels; default 1280. */
  pngWidth?: number;
}

/** File name of the working-point table. */
export const WORKING_POINTS_CSV = 'working_points.csv';

/**
 * Computes, per discriminant, the working points at each target mistag rate (such as
 * 0.1, 0.01, 0.001) and the efficiency curves against threshold. Tagged means
 * score > threshold. Throws a ConfigError for unknown class names or a target outside
 * (0, 1], and an InputError when a discriminant has no signal or no background jets.
 */
export function computeWorkingPoints(
  input: EvaluationInput,
  discriminants: readonly DiscriminantSpec[],
  targets: readonly number[],
  options: WorkingPointReportOptions = {},
): WorkingPointResult[] {
  return scoreDiscriminants(input, discriminants).map((scores) => {
    const weights = {
      signalWeights: scores.signalWeights,
      backgroundWeights: scores.backgroundWeights,
      name: `discriminant '${scores.discriminant.name}'`,
    };
    const roc = computeRoc(scores.signalScores, scores.backgroundScores, weights);
    return {
      name: scores.discriminant.name,
      label: legendLabel(input, scores.discriminant.name),
      discriminant: scores.discriminant,
      workingPoints: findWorkingPoints(scores.signalScores, scores.backgroundScores, targets, weights),
      curve: downsampleRoc(roc, options.maxPoints ?? DEFAULT_MAX_ROC_POINTS),
    };
  });
}

/**
 * Writes `working_points.csv` (one row per discriminant and target) and, per
 * discriminant, `working_points_<name>.svg`/`.png`/`.json`: mistag rate and signal efficiency
 * against threshold on a log y axis, with the working points marked. Files are written
 * atomically into the existing directory `outputDir`. Returns the written paths.
 */
export function writeWorkingPoints(
  outputDir: string,
  results: readonly WorkingPointResult[],
  options: WorkingPointPlotOptions = {},
): string[] {
  const rows = results.flatMap((result) => result.workingPoints.map((point) => ({ name: result.name, point })));
  const csvPath = path.join(outputDir, WORKING_POINTS_CSV);
  writeFileAtomic(
    csvPath,
    formatCsv([
      { header: 'discriminant', values: rows.map((row) => row.name) },
      { header: 'target_mistag', values: rows.map((row) => row.point.targetMistag) },
      { header: 'threshold', values: rows.map((row) => row.point.threshold) },
      { header: 'achieved_mistag', values: rows.map((row) => row.point.achievedMistag) },
      { header: 'signal_efficiency', values: rows.map((row) => row.point.signalEfficiency) },
      { header: 'signal_efficiency_uncertainty', values: rows.map((row) => row.point.signalEfficiencyUncertainty) },
      { header: 'num_signal_jets', values: rows.map((row) => row.point.numSignal) },
      { header: 'num_background_jets', values: rows.map((row) => row.point.numBackground) },
      { header: 'below_background_resolution', values: rows.map((row) => row.point.belowBackgroundResolution) },
    ]),
  );
  const written = [csvPath];

  for (const result of results) {
    const points = result.workingPoints.filter((point) => Number.isFinite(point.threshold));
    let smallest = 1e-3;
    for (const point of result.workingPoints) smallest = Math.min(smallest, point.targetMistag, 1 / point.numBackground);

    const files = writePlot(
      path.join(outputDir, `working_points_${fileSafeName(result.name)}`),
      {
        title: `Working points: ${result.label}`,
        xAxis: { title: `threshold on ${result.name} (tagged: score > threshold)`, ...thresholdRange(result.curve.thresholds) },
        yAxis: { title: 'efficiency', scale: 'log', min: decadeFloor(smallest), max: 1 },
        series: [
          {
            label: `mistag rate (${result.discriminant.background.join('+')})`,
            x: result.curve.thresholds,
            y: result.curve.backgroundEfficiency,
          },
          {
            label: `signal efficiency (${result.discriminant.signal.join('+')})`,
            x: result.curve.thresholds,
            y: result.curve.signalEfficiency,
            dashed: true,
          },
          {
            label: 'working points (target mistag rate)',
            x: points.map((point) => point.threshold),
            y: points.map((point) => point.achievedMistag),
            line: false,
            markers: true,
            color: 'black',
            pointLabels: points.map((point) => formatPercent(point.targetMistag)),
          },
        ],
        legend: 'lower-left',
      },
      { pngWidth: options.pngWidth ?? 1280 },
    );
    written.push(files.svgPath, files.pngPath, files.dataPath);
  }
  return written;
}

/**
 * Returns the x range of a working-point plot: 0 to 1 when every finite threshold lies
 * there (probability ratios), else the data range (log-likelihood ratios, stored scores).
 */
function thresholdRange(thresholds: Float64Array): { min?: number; max?: number } {
  for (const value of thresholds) {
    if (Number.isFinite(value) && (value < 0 || value > 1)) return {};
  }
  return { min: 0, max: 1 };
}

/** Formats a fraction as a percentage with up to 6 significant digits: 0.001 gives "0.1%". */
function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(6))}%`;
}
