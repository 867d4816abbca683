/** ROC curves of every discriminant, and their plots and CSV files. */
import path from 'node:path';
import type { DiscriminantSpec } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { decadeFloor, writeFileAtomic, writePlot, type BandSeries, type LineSeries } from '../plotting/index.js';
import { formatCsv } from './csv.js';
import type { RocBand } from './bootstrap.js';
import type { DiscriminantClasses } from './discriminants.js';
import { fileSafeName, legendLabel, scoreDiscriminants, type EvaluationInput } from './evaluation-input.js';
import { computeRoc, downsampleRoc, DEFAULT_MAX_ROC_POINTS, type RocCurve } from './roc.js';

/** The ROC curve of one discriminant on one sample. */
export interface RocResult {
  name: string;
  /** Legend text without the AUC, such as "DeepJet BvsL". */
  label: string;
  discriminant: DiscriminantClasses;
  /** Full curve; its AUC, jet counts and weight sums come from every jet. */
  curve: RocCurve;
  /** Bootstrap band, drawn around the curve and written as roc_band_<name>.csv when present. */
  band?: RocBand;
  /** Jets among signal and background whose discriminant had a zero denominator (scored 0). */
  numZeroDenominator: number;
}

export interface RocPlotOptions {
  /** Points kept per curve in plots and CSV files; default DEFAULT_MAX_ROC_POINTS. */
  maxPoints?: number;
  /** PNG width in pixels; default 1280. */
  pngWidth?: number;
}

/** Name of the plot with every discriminant's curve, without extension. */
export const COMBINED_ROC_NAME = 'roc_all';

/**
 * Computes the ROC curve and AUC of each discriminant from the model outputs.
 *
 * Only jets of the discriminant's signal and background classes enter its curve. Throws a
 * ConfigError for an unknown class name and an InputError when a discriminant has no
 * signal or no background jets.
 */
export function computeRocs(input: EvaluationInput, discriminants: readonly DiscriminantSpec[]): RocResult[] {
  return scoreDiscriminants(input, discriminants).map((scores) => ({
    name: scores.discriminant.name,
    label: legendLabel(input, scores.discriminant.name),
    discriminant: scores.discriminant,
    curve: computeRoc(scores.signalScores, scores.backgroundScores, {
      signalWeights: scores.signalWeights,
      backgroundWeights: scores.backgroundWeights,
      name: `discriminant '${scores.discriminant.name}'`,
    }),
    numZeroDenominator: scores.numZeroDenominator,
  }));
}

/**
 * Writes, into the existing directory `outputDir`, per discriminant `roc_<name>.csv`
 * (threshold, signal_efficiency, background_efficiency of the down-sampled curve) and
 * `roc_<name>.svg`/`.png`/`.json`, plus `roc_all.svg`/`.png`/`.json` with every curve.
 * A result with a bootstrap band also gets `roc_band_<name>.csv` and the band drawn
 * around its curve. Each file is written atomically. Plots show signal efficiency on x
 * (0 to 1) and the mistag rate on a log y axis from 1 down to the decade at or below
 * min(1e-3, 1 / background jets). Returns the written paths.
 */
export function writeRocPlots(outputDir: string, rocs: readonly RocResult[], options: RocPlotOptions = {}): string[] {
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_ROC_POINTS;
  const plotOptions = { pngWidth: options.pngWidth ?? 1280 };
  const fileNames = rocs.map((roc) => `roc_${fileSafeName(roc.name)}`);
  checkFileNames(fileNames, rocs);

  const written: string[] = [];
  const allSeries: LineSeries[] = [];
  rocs.forEach((roc, index) => {
    const points = downsampleRoc(roc.curve, maxPoints);
    const base = path.join(outputDir, fileNames[index]);
    const csvPath = `${base}.csv`;
    writeFileAtomic(
      csvPath,
      formatCsv([
        { header: 'threshold', values: points.thresholds },
        { header: 'signal_efficiency', values: points.signalEfficiency },
        { header: 'background_efficiency', values: points.backgroundEfficiency },
      ]),
    );
    written.push(csvPath);

    const series: LineSeries = {
      label: `${roc.label} (AUC = ${roc.curve.auc.toFixed(3)})`,
      x: points.signalEfficiency,
      y: points.backgroundEfficiency,
    };
    allSeries.push(series);
    const bands: BandSeries[] = [];
    if (roc.band !== undefined) {
      const bandPath = path.join(outputDir, `roc_band_${fileSafeName(roc.name)}.csv`);
      writeFileAtomic(
        bandPath,
        formatCsv([
          { header: 'signal_efficiency', values: roc.band.signalEfficiency },
          { header: 'mistag_p16', values: roc.band.mistagLow },
          { header: 'mistag_median', values: roc.band.mistagMedian },
          { header: 'mistag_p84', values: roc.band.mistagHigh },
        ]),
      );
      written.push(bandPath);
      bands.push({
        label: `bootstrap 68% band (${roc.band.replicas} replicas)`,
        x: roc.band.signalEfficiency,
        low: roc.band.mistagLow,
        high: roc.band.mistagHigh,
      });
    }
    const files = writePlot(
      base,
      {
        title: `ROC curve: ${roc.name}`,
        xAxis: { title: `${roc.discriminant.signal.join('+')} jet efficiency`, min: 0, max: 1 },
        yAxis: { title: `${roc.discriminant.background.join('+')} mistag rate`, scale: 'log', min: logAxisMinimum([roc]), max: 1 },
        series: [series],
        bands,
        legend: 'upper-left',
      },
      plotOptions,
    );
    written.push(files.svgPath, files.pngPath, files.dataPath);
  });

  if (rocs.length > 0) {
    const files = writePlot(
      path.join(outputDir, COMBINED_ROC_NAME),
      {
        title: 'ROC curves',
        xAxis: { title: 'signal efficiency', min: 0, max: 1 },
        yAxis: { title: 'mistag rate', scale: 'log', min: logAxisMinimum(rocs), max: 1 },
        series: allSeries,
        legend: 'upper-left',
      },
      plotOptions,
    );
    written.push(files.svgPath, files.pngPath, files.dataPath);
  }
  return written;
}

function logAxisMinimum(rocs: readonly RocResult[]): number {
  let smallest = 1e-3;
  for (const roc of rocs) smallest = Math.min(smallest, 1 / roc.curve.numBackground);
  return decadeFloor(smallest);
}

function checkFileNames(fileNames: readonly string[], rocs: readonly RocResult[]): void {
  const seen = new Map<string, string>();
  fileNames.forEach((fileName, index) => {
    const other = fileName === COMBINED_ROC_NAME ? 'the combined plot' : seen.get(fileName);
    if (other !== undefined) {
      throw new ConfigError(
        `discriminant '${rocs[index].name}' would write ${fileName}.svg, as ${other} does; rename the discriminant`,
        { configKey: 'discriminants' },
      );
    }
    seen.set(fileName, `discriminant '${rocs[index].name}'`);
  });
}
