/**
 * (pT, η) histograms of jets, one per class. Bins are [low, high) except the last, which
 * includes its upper edge. Jets outside the binning are counted in the nearest edge bin
 * (clamped), so every selected jet falls into a bin and gets a weight. With the default
 * cuts matching the binning's outer edges no jet is clamped.
 */

import type { Histogram2D } from './types.js';

/**
 * Returns the bin of `value` for ascending `edges`: 0 .. edges.length - 2. Values below the
 * first edge go to bin 0, values above the last edge to the last bin.
 * @throws RangeError for NaN.
 */
export function findBin(edges: ArrayLike<number>, value: number): number {
  if (Number.isNaN(value)) throw new RangeError('cannot find the histogram bin of NaN');
  const last = edges.length - 2;
  if (value < edges[1]) return 0;
  if (value >= edges[last]) return last;
  // Binary search for the bin i with edges[i] <= value < edges[i + 1], for 1 <= i < last.
  let low = 1;
  let high = last - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (edges[middle] <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * Checks that `edges` has at least two values in strictly ascending order.
 * @throws RangeError naming `what` otherwise.
 */
export function checkEdges(edges: number[], what: string): void {
  if (edges.length < 2) throw new RangeError(`${what} needs at least 2 bin edges; it has ${edges.length}`);
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i] > edges[i - 1])) {
      throw new RangeError(`${what} must be strictly ascending, but edge ${i} (${edges[i]}) follows ${edges[i - 1]}`);
    }
  }
}

/** Creates an empty histogram with the given edges: pT in GeV, counts row-major [ptBin][etaBin]. */
export function createHistogram(ptEdges: number[], etaEdges: number[]): Histogram2D {
  checkEdges(ptEdges, 'pT binning');
  checkEdges(etaEdges, 'η binning');
  const counts = new Array<number>((ptEdges.length - 1) * (etaEdges.length - 1)).fill(0);
  return { ptEdges: [...ptEdges], etaEdges: [...etaEdges], counts };
}

/** Returns the row-major bin index of a jet with pT in GeV, clamped into the binning. */
export function binIndex(histogram: Histogram2D, pt: number, eta: number): number {
  const etaBins = histogram.etaEdges.length - 1;
  return findBin(histogram.ptEdges, pt) * etaBins + findBin(histogram.etaEdges, eta);
}

/**
 * Fills one histogram per class from jet columns [jets]: `label` indexes `classes`, and jets
 * with label -1 are skipped.
 */
export function fillClassHistograms(
  classes: string[],
  ptEdges: number[],
  etaEdges: number[],
  label: Int32Array,
  pt: ArrayLike<number>,
  eta: ArrayLike<number>,
): Record<string, Histogram2D> {
  const histograms = classes.map(() => createHistogram(ptEdges, etaEdges));
  for (let j = 0; j < label.length; j++) {
    const c = label[j];
    if (c < 0) continue;
    const histogram = histograms[c];
    histogram.counts[binIndex(histogram, pt[j], eta[j])] += 1;
  }
  return Object.fromEntries(classes.map((name, c) => [name, histograms[c]]));
}
