/**
 * Files of the per-process evaluation: per discriminant `roc_processes_<name>.{svg,png,json}`
 * with the curve of all evaluated jets and one per process, and `processes.csv` with one
 * row per discriminant and process.
 */
import path from 'node:path';
import { decadeFloor, writeFileAtomic, writePlot, type LineSeries } from '../plotting/index.js';
import { formatCsv } from './csv.js';
import type { DiscriminantClasses } from './discriminants.js';
import { fileSafeName } from './evaluation-input.js';
import type { ProcessEvaluation } from './processes.js';
import { downsampleRoc, type RocCurve } from './roc.js';
import type { PlotEntry, ProcessSummary } from './summary.js';

/** File name of the per-process table. */
export const PROCESS_TABLE_FILE = 'processes.csv';

/** One discriminant or reference tagger on all evaluated jets, drawn as the first curve. */
export interface InclusiveRoc {
  name: string;
  label: string;
  classes: DiscriminantClasses;
  curve: RocCurve;
}

/** Per-process numbers of one discriminant, as stored in `roc.json` and `evaluation.json`. */
export type ProcessRocSummary = ProcessSummary;

/** Returns the per-process numbers of the discriminant or reference tagger `name`, in process order. */
export function summariseProcessRocs(results: readonly ProcessEvaluation[], name: string): ProcessRocSummary[] {
  return results.map((result) => {
    const roc = result.rocs.find((r) => r.name === name);
    return {
      process: result.process,
      selection: result.selection ?? null,
      num_jets_before_cut: result.numJetsBeforeCut,
      num_jets: result.numJets,
      num_signal_jets: roc?.numSignal ?? 0,
      num_background_jets: roc?.numBackground ?? 0,
      auc: roc?.curve?.auc ?? null,
      ...(roc?.note === undefined ? {} : { note: roc.note }),
    };
  });
}

/**
 * Writes `processes.csv` and one plot per discriminant into the existing directory
 * `outputDir`, and returns the plot entries. A process without a curve for a discriminant
 * is left out of its plot and has an empty AUC in the table.
 */
export function writeProcessRocs(outputDir: string, inclusive: readonly InclusiveRoc[], results: readonly ProcessEvaluation[], pngWidth: number): PlotEntry[] {
  const rows = inclusive.flatMap((roc) => summariseProcessRocs(results, roc.name).map((summary) => ({ name: roc.name, summary })));
  writeFileAtomic(
    path.join(outputDir, PROCESS_TABLE_FILE),
    formatCsv([
      { header: 'discriminant', values: rows.map((row) => row.name) },
      { header: 'process', values: rows.map((row) => row.summary.process) },
      { header: 'evaluation_selection', values: rows.map((row) => row.summary.selection ?? '') },
      { header: 'num_jets_before_cut', values: rows.map((row) => row.summary.num_jets_before_cut) },
      { header: 'num_jets', values: rows.map((row) => row.summary.num_jets) },
      { header: 'num_signal_jets', values: rows.map((row) => row.summary.num_signal_jets) },
      { header: 'num_background_jets', values: rows.map((row) => row.summary.num_background_jets) },
      { header: 'auc', values: rows.map((row) => row.summary.auc ?? NaN) },
    ]),
  );

  const entries: PlotEntry[] = [];
  for (const roc of inclusive) {
    const curves: Array<{ label: string; curve: RocCurve; dashed: boolean }> = [{ label: `all processes`, curve: roc.curve, dashed: true }];
    for (const result of results) {
      const curve = result.rocs.find((r) => r.name === roc.name)?.curve;
      if (curve !== undefined) curves.push({ label: result.selection === undefined ? result.process : `${result.process} (${result.selection})`, curve, dashed: false });
    }
    let smallest = 1e-3;
    const series: LineSeries[] = curves.map(({ label, curve, dashed }) => {
      smallest = Math.min(smallest, 1 / curve.numBackground);
      const points = downsampleRoc(curve);
      return { label: `${label}, AUC = ${curve.auc.toFixed(3)}`, x: points.signalEfficiency, y: points.backgroundEfficiency, dashed };
    });
    const name = `roc_processes_${fileSafeName(roc.name)}`;
    writePlot(
      path.join(outputDir, name),
      {
        title: `ROC curves per process: ${roc.label}`,
        xAxis: { title: `${roc.classes.signal.join('+')} jet efficiency`, min: 0, max: 1 },
        yAxis: { title: `${roc.classes.background.join('+')} mistag rate`, scale: 'log', min: decadeFloor(smallest), max: 1 },
        series,
        legend: 'upper-left',
      },
      { pngWidth },
    );
    entries.push({ name, title: `ROC curves per process: ${roc.label}` });
  }
  return entries;
}
