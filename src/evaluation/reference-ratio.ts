/**
 * Comparison of a tagger with a reference tagger on the same jets. Every discriminant and
 * stored reference score with the same signal and background classes get one figure: both
 * ROC curves above the ratio of their mistag rates (new over reference) at equal signal
 * efficiency.
 */
import path from 'node:path';
import { decadeFloor, writeStackedPlot } from '../plotting/index.js';
import type { DiscriminantEvaluation } from './evaluate.js';
import { fileSafeName } from './evaluation-input.js';
import type { RocPoints } from './roc.js';
import type { PlotEntry } from './summary.js';

/** Signal efficiencies at which the ratio is evaluated: 0.05, 0.06, ..., 0.99. */
export const RATIO_EFFICIENCIES = Array.from({ length: 95 }, (_, k) => Number((0.05 + 0.01 * k).toFixed(2)));

/**
 * Return the mistag rate of `curve` at each signal efficiency: that of the first point
 * (in order of decreasing threshold) whose signal efficiency reaches it, as a cut on the
 * score would give.
 */
export function mistagAtEfficiencies(curve: RocPoints, efficiencies: readonly number[]): number[] {
  return efficiencies.map((target) => {
    for (let k = 0; k < curve.signalEfficiency.length; k++) {
      if (curve.signalEfficiency[k] >= target) return curve.backgroundEfficiency[k];
    }
    return 1;
  });
}

function sameClasses(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}

/**
 * Write `roc_ratio_<discriminant>_vs_<reference>.{svg,png,json}` for every matching pair
 * into `outputDir` and return the plot entries. The ratio is left out (NaN) where the
 * reference has no mistagged jet.
 */
export function writeReferenceRatios(outputDir: string, evaluations: readonly DiscriminantEvaluation[], pngWidth: number): PlotEntry[] {
  const references = evaluations.filter((e) => e.jets.kind === 'stored');
  const taggers = evaluations.filter((e) => e.jets.kind !== 'stored');
  const entries: PlotEntry[] = [];
  for (const tagger of taggers) {
    for (const reference of references) {
      const a = tagger.jets.classes;
      const b = reference.jets.classes;
      if (!sameClasses(a.signal, b.signal) || !sameClasses(a.background, b.background)) continue;
      const mistagTagger = mistagAtEfficiencies(tagger.curve, RATIO_EFFICIENCIES);
      const mistagReference = mistagAtEfficiencies(reference.curve, RATIO_EFFICIENCIES);
      const ratio = mistagTagger.map((m, k) => (mistagReference[k] > 0 ? m / mistagReference[k] : NaN));
      const smallest = Math.min(1e-3, 1 / Math.max(1, tagger.curve.numBackground), 1 / Math.max(1, reference.curve.numBackground));
      const name = `roc_ratio_${fileSafeName(tagger.jets.name)}_vs_${fileSafeName(reference.jets.name)}`;
      const finiteRatios = ratio.filter((r) => Number.isFinite(r));
      // Up to 5 the axis shows every ratio; a tagger far from the reference widens it to its largest ratio.
      const largest = Math.max(0, ...finiteRatios);
      const ratioMax = largest <= 5 ? Math.max(2, largest) : 1.1 * largest;
      writeStackedPlot(
        path.join(outputDir, name),
        [
          {
            title: `${tagger.jets.label} against ${reference.jets.label}`,
            xAxis: { title: 'signal efficiency', min: 0, max: 1 },
            yAxis: { title: 'mistag rate', scale: 'log', min: decadeFloor(smallest), max: 1 },
            series: [
              { label: `${tagger.jets.label} (AUC = ${tagger.curve.auc.toFixed(3)})`, x: tagger.curve.signalEfficiency, y: tagger.curve.backgroundEfficiency },
              { label: `${reference.jets.label} (AUC = ${reference.curve.auc.toFixed(3)})`, x: reference.curve.signalEfficiency, y: reference.curve.backgroundEfficiency, dashed: true },
            ],
            legend: 'upper-left',
            height: 420,
          },
          {
            xAxis: { title: 'signal efficiency', min: 0, max: 1 },
            yAxis: { title: 'mistag: new / ref.', min: 0, max: ratioMax },
            series: [{ label: 'ratio', x: RATIO_EFFICIENCIES, y: ratio, markers: false }],
            legend: 'none',
            height: 240,
          },
        ],
        pngWidth,
      );
      entries.push({ name, title: `${tagger.jets.label} against reference ${reference.jets.label}` });
    }
  }
  return entries;
}
