/**
 * Writing a full evaluation: the ROC and working-point files of the chain, plus the
 * rejection table, efficiency against pT and η, window curves and `evaluation.json`.
 * Every plot is written as SVG, PNG and JSON data, and every table as CSV.
 */
import path from 'node:path';
import { decadeFloor, writeFileAtomic, writePlot, SERIES_COLORS, type LineSeries } from '../plotting/index.js';
import { formatCsv } from './csv.js';
import type { DiscriminantEvaluation, KinematicEfficiencies } from './evaluate.js';
import type { EvaluationData } from './discriminant-jets.js';
import { fileSafeName } from './evaluation-input.js';
import type { RejectionPoint } from './rejection.js';
import { downsampleRoc, DEFAULT_MAX_ROC_POINTS } from './roc.js';
import { writeRocPlots, COMBINED_ROC_NAME } from './roc-report.js';
import {
  EVALUATION_SUMMARY_FILE,
  EVALUATION_SUMMARY_VERSION,
  type DiscriminantSummary,
  type EvaluationSummary,
  type PlotEntry,
  type RejectionSummary,
} from './summary.js';
import { writeWorkingPoints } from './working-point-report.js';
import { writeReferenceRatios } from './reference-ratio.js';
import { summariseProcessRocs, writeProcessRocs } from './process-output.js';
import type { ProcessEvaluation } from './processes.js';

/** Points per curve kept in evaluation.json for overlays in the dashboard. */
export const SUMMARY_ROC_POINTS = 300;

export interface EvaluationOutputOptions {
  /** Name of the evaluation, stored in the summary. */
  name: string;
  /** Provenance stored in the summary. */
  provenance: EvaluationSummary['provenance'];
  /** PNG width in pixels; default 1280. */
  pngWidth?: number;
  /** Per-process ROC curves, written as roc_processes_<name> plots and processes.csv; absent for none. */
  processes?: readonly ProcessEvaluation[];
}

/**
 * Writes every output of an evaluation into the existing directory `outputDir` and
 * returns the summary that was written as `evaluation.json`. Files are written atomically.
 */
export function writeEvaluation(
  outputDir: string,
  data: EvaluationData,
  evaluations: readonly DiscriminantEvaluation[],
  options: EvaluationOutputOptions,
): EvaluationSummary {
  const plotOptions = { pngWidth: options.pngWidth ?? 1280 };
  const plots: PlotEntry[] = [];

  writeRocPlots(
    outputDir,
    evaluations.map((e) => ({ name: e.jets.name, label: e.jets.label, discriminant: e.jets.classes, curve: e.curve, band: e.band, numZeroDenominator: e.jets.numZeroDenominator })),
    plotOptions,
  );
  if (evaluations.length > 0) plots.push({ name: COMBINED_ROC_NAME, title: 'ROC curves' });
  for (const e of evaluations) plots.push({ name: `roc_${fileSafeName(e.jets.name)}`, title: `ROC curve: ${e.jets.label}` });

  writeWorkingPoints(
    outputDir,
    evaluations.map((e) => ({
      name: e.jets.name,
      label: e.jets.label,
      discriminant: e.jets.classes,
      workingPoints: e.workingPoints,
      curve: downsampleRoc(e.curve, DEFAULT_MAX_ROC_POINTS),
    })),
    plotOptions,
  );
  for (const e of evaluations) plots.push({ name: `working_points_${fileSafeName(e.jets.name)}`, title: `Working points: ${e.jets.label}` });

  writeRejectionTable(path.join(outputDir, 'rejection.csv'), evaluations);
  for (const e of evaluations) {
    for (const kinematic of [e.efficiencyVsPt, e.efficiencyVsEta]) {
      if (kinematic === undefined) continue;
      const base = `efficiency_vs_${kinematic.variable}_${fileSafeName(e.jets.name)}`;
      writeKinematicEfficiencies(path.join(outputDir, base), e, kinematic, plotOptions.pngWidth);
      plots.push({ name: base, title: `Efficiency against ${kinematic.variable === 'pt' ? 'pT' : 'η'}: ${e.jets.label}` });
    }
  }
  if (evaluations.some((e) => e.windows.length > 0)) {
    writeWindowTable(path.join(outputDir, 'windows.csv'), evaluations);
    for (const e of evaluations) {
      const base = `roc_windows_${fileSafeName(e.jets.name)}`;
      if (writeWindowPlot(path.join(outputDir, base), e, plotOptions.pngWidth)) plots.push({ name: base, title: `ROC curves in (pT, η) windows: ${e.jets.label}` });
    }
  }

  plots.push(...writeReferenceRatios(outputDir, evaluations, plotOptions.pngWidth));
  if (options.processes !== undefined) {
    const inclusive = evaluations.map((e) => ({ name: e.jets.name, label: e.jets.label, classes: e.jets.classes, curve: e.curve }));
    plots.push(...writeProcessRocs(outputDir, inclusive, options.processes, plotOptions.pngWidth));
  }

  const summary = buildSummary(data, evaluations, plots, options);
  writeFileAtomic(path.join(outputDir, EVALUATION_SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

function writeRejectionTable(file: string, evaluations: readonly DiscriminantEvaluation[]): void {
  const rows = evaluations.flatMap((e) => e.rejection.map((point) => ({ name: e.jets.name, point })));
  writeFileAtomic(
    file,
    formatCsv([
      { header: 'discriminant', values: rows.map((row) => row.name) },
      { header: 'target_signal_efficiency', values: rows.map((row) => row.point.targetEfficiency) },
      { header: 'threshold', values: rows.map((row) => row.point.threshold) },
      { header: 'signal_efficiency', values: rows.map((row) => row.point.signalEfficiency) },
      { header: 'mistag', values: rows.map((row) => row.point.mistag) },
      { header: 'mistag_uncertainty', values: rows.map((row) => row.point.mistagUncertainty) },
      { header: 'rejection', values: rows.map((row) => row.point.rejection) },
      { header: 'rejection_uncertainty', values: rows.map((row) => row.point.rejectionUncertainty) },
    ]),
  );
}

/** Writes `<base>.csv` (one row per working point, group and bin) and the plot of signal efficiency and mistag rate per bin. */
function writeKinematicEfficiencies(base: string, e: DiscriminantEvaluation, kinematic: KinematicEfficiencies, pngWidth: number): void {
  const rows: Array<{ target: number; threshold: number; group: string; bin: number; efficiency: number; uncertainty: number; jets: number }> = [];
  for (const point of kinematic.points) {
    for (const [group, binned] of [['signal', point.signal], ['background', point.background]] as const) {
      for (let bin = 0; bin < binned.efficiency.length; bin++) {
        rows.push({
          target: point.workingPoint.targetMistag,
          threshold: point.workingPoint.threshold,
          group,
          bin,
          efficiency: binned.efficiency[bin],
          uncertainty: binned.uncertainty[bin],
          jets: binned.numJets[bin],
        });
      }
    }
  }
  const edges = kinematic.edges;
  writeFileAtomic(
    `${base}.csv`,
    formatCsv([
      { header: 'target_mistag', values: rows.map((row) => row.target) },
      { header: 'threshold', values: rows.map((row) => row.threshold) },
      { header: 'group', values: rows.map((row) => row.group) },
      { header: `${kinematic.variable}_low`, values: rows.map((row) => edges[row.bin]) },
      { header: `${kinematic.variable}_high`, values: rows.map((row) => edges[row.bin + 1]) },
      { header: 'efficiency', values: rows.map((row) => row.efficiency) },
      { header: 'efficiency_uncertainty', values: rows.map((row) => row.uncertainty) },
      { header: 'num_jets', values: rows.map((row) => row.jets) },
    ]),
  );

  const centres = Float64Array.from({ length: edges.length - 1 }, (_, bin) => (edges[bin] + edges[bin + 1]) / 2);
  const series: LineSeries[] = [];
  let smallest = 1e-3;
  kinematic.points.forEach((point, index) => {
    const percent = `${Number((point.workingPoint.targetMistag * 100).toPrecision(6))}%`;
    // one colour per working point, shared by its signal and background series
    const color = SERIES_COLORS[index % SERIES_COLORS.length];
    smallest = Math.min(smallest, point.workingPoint.targetMistag);
    series.push({ label: `signal eff. at ${percent} WP`, x: centres, y: point.signal.efficiency, yErrors: point.signal.uncertainty, markers: true, color });
    series.push({ label: `mistag at ${percent} WP`, x: centres, y: point.background.efficiency, yErrors: point.background.uncertainty, markers: true, dashed: true, color });
  });
  const variableTitle = kinematic.variable === 'pt' ? 'jet pT [GeV]' : 'jet η';
  writePlot(
    base,
    {
      title: `${e.jets.label}: efficiency against ${kinematic.variable === 'pt' ? 'pT' : 'η'}`,
      xAxis: { title: `${variableTitle} (bin centres)`, min: edges[0], max: edges[edges.length - 1] },
      yAxis: { title: `efficiency (${e.jets.classes.signal.join('+')}) and mistag rate (${e.jets.classes.background.join('+')})`, scale: 'log', min: decadeFloor(smallest / 10), max: 1 },
      series,
      width: 760,
      height: 520,
      legend: 'lower-right',
    },
    { pngWidth },
  );
}

function writeWindowTable(file: string, evaluations: readonly DiscriminantEvaluation[]): void {
  const rows = evaluations.flatMap((e) => e.windows.map((window) => ({ name: e.jets.name, window })));
  writeFileAtomic(
    file,
    formatCsv([
      { header: 'discriminant', values: rows.map((row) => row.name) },
      { header: 'window', values: rows.map((row) => row.window.window.name) },
      { header: 'pt_min', values: rows.map((row) => row.window.window.ptMin) },
      { header: 'pt_max', values: rows.map((row) => row.window.window.ptMax) },
      { header: 'abs_eta_min', values: rows.map((row) => row.window.window.absEtaMin) },
      { header: 'abs_eta_max', values: rows.map((row) => row.window.window.absEtaMax) },
      { header: 'num_signal_jets', values: rows.map((row) => row.window.numSignal) },
      { header: 'num_background_jets', values: rows.map((row) => row.window.numBackground) },
      { header: 'auc', values: rows.map((row) => row.window.curve?.auc ?? NaN) },
    ]),
  );
}

function writeWindowPlot(base: string, e: DiscriminantEvaluation, pngWidth: number): boolean {
  const series: LineSeries[] = [];
  let smallest = 1e-3;
  for (const window of e.windows) {
    if (window.curve === undefined) continue;
    const points = downsampleRoc(window.curve);
    smallest = Math.min(smallest, 1 / window.curve.numBackground);
    series.push({ label: `${window.window.name} (AUC = ${window.curve.auc.toFixed(3)})`, x: points.signalEfficiency, y: points.backgroundEfficiency });
  }
  if (series.length === 0) return false;
  writePlot(
    base,
    {
      title: `ROC curves in (pT, η) windows: ${e.jets.label}`,
      xAxis: { title: `${e.jets.classes.signal.join('+')} jet efficiency`, min: 0, max: 1 },
      yAxis: { title: `${e.jets.classes.background.join('+')} mistag rate`, scale: 'log', min: decadeFloor(smallest), max: 1 },
      series,
      legend: 'upper-left',
    },
    { pngWidth },
  );
  return true;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function summariseRejection(points: readonly RejectionPoint[]): RejectionSummary[] {
  return points.map((point) => ({
    target_efficiency: point.targetEfficiency,
    threshold: finiteOrNull(point.threshold),
    signal_efficiency: point.signalEfficiency,
    mistag: point.mistag,
    mistag_uncertainty: point.mistagUncertainty,
    rejection: finiteOrNull(point.rejection),
    rejection_uncertainty: finiteOrNull(point.rejectionUncertainty),
  }));
}

function buildSummary(
  data: EvaluationData,
  evaluations: readonly DiscriminantEvaluation[],
  plots: PlotEntry[],
  options: EvaluationOutputOptions,
): EvaluationSummary {
  const classCounts: Record<string, number> = Object.fromEntries(data.classNames.map((name) => [name, 0]));
  let unknown = 0;
  for (const label of data.labels) {
    if (label >= 0 && label < data.classNames.length) classCounts[data.classNames[label]]++;
    else unknown++;
  }
  if (unknown > 0) classCounts['(unknown)'] = unknown;

  const discriminants: DiscriminantSummary[] = evaluations.map((e) => {
    const roc = downsampleRoc(e.curve, SUMMARY_ROC_POINTS);
    const summary: DiscriminantSummary = {
      name: e.jets.name,
      label: e.jets.label,
      kind: e.jets.kind,
      signal: [...e.jets.classes.signal],
      background: [...e.jets.classes.background],
      auc: e.curve.auc,
      num_signal_jets: e.curve.numSignal,
      num_background_jets: e.curve.numBackground,
      sum_signal_weights: e.curve.sumSignalWeights,
      sum_background_weights: e.curve.sumBackgroundWeights,
      working_points: e.workingPoints.map((wp) => ({
        target_mistag: wp.targetMistag,
        threshold: finiteOrNull(wp.threshold),
        achieved_mistag: wp.achievedMistag,
        signal_efficiency: wp.signalEfficiency,
        signal_efficiency_uncertainty: wp.signalEfficiencyUncertainty,
        below_background_resolution: wp.belowBackgroundResolution,
      })),
      rejection: summariseRejection(e.rejection),
      windows: e.windows.map((window) => ({
        name: window.window.name,
        pt: [window.window.ptMin, finiteOrNull(window.window.ptMax)],
        abs_eta: [window.window.absEtaMin, finiteOrNull(window.window.absEtaMax)],
        num_signal_jets: window.numSignal,
        num_background_jets: window.numBackground,
        auc: window.curve === undefined ? null : window.curve.auc,
        rejection: summariseRejection(window.rejection),
        ...(window.note === undefined ? {} : { note: window.note }),
      })),
      roc: { signal_efficiency: Array.from(roc.signalEfficiency), mistag: Array.from(roc.backgroundEfficiency) },
    };
    if (e.band !== undefined) summary.auc_bootstrap_std = e.band.aucStd;
    if (options.processes !== undefined) summary.processes = summariseProcessRocs(options.processes, e.jets.name);
    return summary;
  });

  return {
    version: EVALUATION_SUMMARY_VERSION,
    name: options.name,
    tagger: data.label ?? null,
    created: new Date().toISOString(),
    num_jets: data.labels.length,
    classes: [...data.classNames],
    class_counts: classCounts,
    weighted: evaluations.some((e) => e.jets.signal.weights !== undefined),
    discriminants,
    plots,
    provenance: options.provenance,
  };
}
