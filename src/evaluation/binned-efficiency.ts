/**
 * Efficiencies in bins of a jet variable such as pT or η: the weighted fraction of jets in
 * each bin whose score is above a working point's threshold, with its binomial
 * uncertainty. Bins are [low, high) except the last, which includes its upper edge; jets
 * outside the edges are not counted.
 */
import { InputError } from '../errors.js';
import { binomialFraction } from './binomial.js';

/** Efficiency per bin of one variable at one threshold. */
export interface BinnedEfficiency {
  /** Bin edges, increasing, [bins + 1]. */
  edges: Float64Array;
  /** Weighted pass fraction per bin; NaN for a bin without jets. */
  efficiency: Float64Array;
  /** Binomial uncertainty per bin; NaN for a bin without jets. */
  uncertainty: Float64Array;
  /** Jets per bin, unweighted. */
  numJets: Int32Array;
}

/**
 * Computes the efficiency of `score > threshold` in each bin of `variable`.
 *
 * `scores`, `variable` and `weights` (undefined for 1 each) are [jets]. Throws an
 * InputError when their lengths differ or the edges do not increase.
 */
export function efficiencyInBins(
  scores: ArrayLike<number>,
  variable: ArrayLike<number>,
  edges: ArrayLike<number>,
  threshold: number,
  weights?: ArrayLike<number>,
): BinnedEfficiency {
  if (variable.length !== scores.length || (weights !== undefined && weights.length !== scores.length)) {
    throw new InputError(
      `binned efficiency: ${scores.length} scores, ${variable.length} variable values and ${weights?.length ?? scores.length} weights; all must match`,
    );
  }
  const edgeArray = Float64Array.from(edges);
  const numBins = edgeArray.length - 1;
  for (let k = 1; k < edgeArray.length; k++) {
    if (!(edgeArray[k] > edgeArray[k - 1])) throw new InputError(`bin edges must increase, but ${edgeArray[k]} follows ${edgeArray[k - 1]}`);
  }
  if (numBins < 1) throw new InputError('binned efficiency needs at least two bin edges');

  const passed = new Float64Array(numBins);
  const total = new Float64Array(numBins);
  const squaredPassed = new Float64Array(numBins);
  const squaredFailed = new Float64Array(numBins);
  const numJets = new Int32Array(numBins);
  for (let i = 0; i < scores.length; i++) {
    const bin = findBin(edgeArray, variable[i]);
    if (bin < 0) continue;
    const weight = weights === undefined ? 1 : weights[i];
    numJets[bin]++;
    total[bin] += weight;
    if (scores[i] > threshold) {
      passed[bin] += weight;
      squaredPassed[bin] += weight * weight;
    } else {
      squaredFailed[bin] += weight * weight;
    }
  }

  const efficiency = new Float64Array(numBins);
  const uncertainty = new Float64Array(numBins);
  for (let bin = 0; bin < numBins; bin++) {
    const fraction = binomialFraction(passed[bin], total[bin], squaredPassed[bin], squaredFailed[bin]);
    efficiency[bin] = fraction.value;
    uncertainty[bin] = fraction.uncertainty;
  }
  return { edges: edgeArray, efficiency, uncertainty, numJets };
}

/** Returns the bin of `value` (last bin closed), or -1 outside the edges or for NaN. */
export function findBin(edges: Float64Array, value: number): number {
  const last = edges.length - 1;
  if (!(value >= edges[0] && value <= edges[last])) return -1;
  if (value === edges[last]) return last - 1;
  let low = 0;
  let high = last;
  // invariant: edges[low] <= value < edges[high]
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (edges[middle] <= value) low = middle;
    else high = middle;
  }
  return low;
}

/**
 * Returns bin edges holding about equal numbers of the given values: the quantiles at
 * k / numBins, rounded to 3 significant digits, with the minimum and maximum as outer
 * edges. Duplicate edges are merged, so fewer bins can result. Non-finite values are
 * ignored; returns undefined when fewer than two distinct finite values remain.
 */
export function quantileEdges(values: ArrayLike<number>, numBins: number): Float64Array | undefined {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  const sorted = Float64Array.from(finite).sort();
  if (sorted.length === 0 || sorted[0] === sorted[sorted.length - 1]) return undefined;
  const edges: number[] = [sorted[0]];
  for (let k = 1; k < numBins; k++) {
    const edge = Number(sorted[Math.floor((k * (sorted.length - 1)) / numBins)].toPrecision(3));
    if (edge > edges[edges.length - 1] && edge < sorted[sorted.length - 1]) edges.push(edge);
  }
  edges.push(sorted[sorted.length - 1]);
  return Float64Array.from(edges);
}
