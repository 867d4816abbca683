/**
 * Per-class distributions of the input features: for one feature column, a histogram per
 * class normalised to unit area, with a common binning between robust quantiles so that a
 * few extreme values (impact-parameter significances, chi2) do not squeeze the rest.
 */

export interface FeatureHistograms {
  /** Bin edges, numBins + 1 values. */
  edges: number[];
  /** Per class: the fraction of its values in each bin (values outside the edges go to the edge bins). */
  fractions: Record<string, number[]>;
  /** Per class: the values counted (non-finite values are excluded). */
  counts: Record<string, number>;
  /** Non-finite values left out, over all classes. */
  numNonFinite: number;
}

/**
 * Histogram `values` (one per jet or candidate) by class. `classOf[i]` is the class index
 * of value i, or -1 to leave it out. The range runs from the 0.5 % to the 99.5 % quantile
 * of all finite values, and a constant feature gets one bin around its value.
 */
export function histogramByClass(
  values: ArrayLike<number>,
  classOf: ArrayLike<number>,
  classes: readonly string[],
  numBins = 40,
): FeatureHistograms {
  const finite: number[] = [];
  let numNonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    if (classOf[i] < 0) continue;
    if (Number.isFinite(values[i])) finite.push(values[i]);
    else numNonFinite++;
  }
  finite.sort((a, b) => a - b);
  let low = finite.length > 0 ? finite[Math.floor(0.005 * (finite.length - 1))] : 0;
  let high = finite.length > 0 ? finite[Math.ceil(0.995 * (finite.length - 1))] : 1;
  if (!(high > low)) {
    low -= 0.5;
    high += 0.5;
    numBins = 1;
  }
  const width = (high - low) / numBins;
  const edges = Array.from({ length: numBins + 1 }, (_, k) => low + k * width);

  const bins = classes.map(() => new Float64Array(numBins));
  const counts = classes.map(() => 0);
  for (let i = 0; i < values.length; i++) {
    const k = classOf[i];
    const value = values[i];
    if (k < 0 || !Number.isFinite(value)) continue;
    const bin = Math.min(numBins - 1, Math.max(0, Math.floor((value - low) / width)));
    bins[k][bin]++;
    counts[k]++;
  }
  const fractions: Record<string, number[]> = {};
  const countsByName: Record<string, number> = {};
  classes.forEach((name, k) => {
    fractions[name] = Array.from(bins[k], (n) => (counts[k] > 0 ? n / counts[k] : 0));
    countsByName[name] = counts[k];
  });
  return { edges, fractions, counts: countsByName, numNonFinite };
}
