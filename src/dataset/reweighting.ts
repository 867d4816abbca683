/**
 * Per-jet sampling weights in (pT, η) bins: the reference-flavour method of b-hive gives
 * every class the shape of a reference class; the flat method makes every class uniform.
 */

import { binIndex } from './histogram.js';
import type { Histogram2D } from './types.js';

function maxOf(values: number[]): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}

/**
 * Computes the weight of every (pT, η) bin for one class, row-major like the histogram.
 *
 * In a bin i where the class has jets, w(i) = (H_ref(i) / max H_ref) / (H(i) / max H), which
 * is 0 where the reference is empty. The weights are then divided by their maximum over
 * these bins, so the largest is 1 (all stay 0 when the class never meets the reference).
 * Bins where the class has no jets get 1: no jet uses them, and the value keeps the maximum at 1.
 * @throws RangeError when the histograms have different numbers of bins.
 */
export function computeBinWeights(histogram: Histogram2D, reference: Histogram2D): number[] {
  if (histogram.counts.length !== reference.counts.length) {
    throw new RangeError(`histograms differ in size: ${histogram.counts.length} and ${reference.counts.length} bins`);
  }
  const maxReference = maxOf(reference.counts);
  const maxClass = maxOf(histogram.counts);
  const weights = histogram.counts.map((count, i) => {
    if (count === 0) return 1;
    if (maxReference === 0) return 0;
    return reference.counts[i] / maxReference / (count / maxClass);
  });

  const filled = weights.filter((_, i) => histogram.counts[i] > 0);
  const maxWeight = maxOf(filled);
  if (maxWeight === 0) return weights;
  return weights.map((w, i) => (histogram.counts[i] > 0 ? w / maxWeight : w));
}

/** Computes the bin weights of every class against `referenceClass`, keyed by class name. */
export function computeClassWeights(histograms: Record<string, Histogram2D>, referenceClass: string): Record<string, number[]> {
  const reference = histograms[referenceClass];
  if (!reference) {
    throw new RangeError(`reference class '${referenceClass}' has no histogram; classes: ${Object.keys(histograms).join(', ')}`);
  }
  return Object.fromEntries(Object.entries(histograms).map(([name, h]) => [name, computeBinWeights(h, reference)]));
}

/**
 * Computes flat bin weights for every class, keyed by class name: w(i) = min H / H(i) over
 * the bins where the class has jets, so each filled bin gets the same weighted count and
 * the largest weight is 1. Bins without jets of the class get 1, as no jet uses them.
 */
export function computeFlatWeights(histograms: Record<string, Histogram2D>): Record<string, number[]> {
  return Object.fromEntries(
    Object.entries(histograms).map(([name, histogram]) => {
      let minFilled = Infinity;
      for (const count of histogram.counts) if (count > 0 && count < minFilled) minFilled = count;
      return [name, histogram.counts.map((count) => (count > 0 ? minFilled / count : 1))];
    }),
  );
}

/**
 * Returns each jet's weight [jets]: its class's weight in its (pT, η) bin, or 1 for label -1.
 * `binWeights[c]` belongs to class index c; pT in GeV.
 */
export function assignJetWeights(
  binWeights: number[][],
  binning: Histogram2D,
  label: Int32Array,
  pt: ArrayLike<number>,
  eta: ArrayLike<number>,
): Float32Array {
  const weights = new Float32Array(label.length);
  for (let j = 0; j < label.length; j++) {
    const c = label[j];
    weights[j] = c < 0 ? 1 : binWeights[c][binIndex(binning, pt[j], eta[j])];
  }
  return weights;
}
