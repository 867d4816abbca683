/**
 * Candidate lists as segments: jet j owns `items[offsets[j]] .. items[offsets[j + 1] - 1]`,
 * each item an index into the candidate collection's value arrays. Sorting reorders items
 * inside each segment; padding turns segments into a fixed-size block.
 */

/**
 * Sorts the items of every segment by `key[item]`, in place. Ties keep their order, and
 * NaN keys go last in either direction.
 */
export function sortSegments(offsets: Int32Array, items: Int32Array, key: ArrayLike<number>, descending: boolean): void {
  const sign = descending ? -1 : 1;
  const compare = (a: number, b: number): number => {
    const ka = key[a];
    const kb = key[b];
    const nanA = Number.isNaN(ka);
    const nanB = Number.isNaN(kb);
    if (nanA && nanB) return 0;
    if (nanA) return 1;
    if (nanB) return -1;
    if (ka === kb) return 0;
    return ka < kb ? -sign : sign;
  };
  for (let j = 0; j + 1 < offsets.length; j++) {
    const start = offsets[j];
    const stop = offsets[j + 1];
    if (stop - start > 1) items.subarray(start, stop).sort(compare);
  }
}

/**
 * Builds a padded block [jets, maxCandidates, features] from segments. Feature f of the
 * c-th candidate of jet j is `features[f][items[offsets[j] + c]]`. Each jet keeps its first
 * `maxCandidates` items, and the remaining slots hold `padValue`.
 */
export function padSegments(
  features: ArrayLike<number>[],
  offsets: Int32Array,
  items: Int32Array,
  maxCandidates: number,
  padValue: number,
): Float32Array {
  const numFeatures = features.length;
  const numJets = offsets.length - 1;
  const block = new Float32Array(numJets * maxCandidates * numFeatures);
  if (padValue !== 0) block.fill(padValue);
  for (let f = 0; f < numFeatures; f++) {
    const values = features[f];
    for (let j = 0; j < numJets; j++) {
      const start = offsets[j];
      const count = Math.min(offsets[j + 1] - start, maxCandidates);
      const jetBase = j * maxCandidates * numFeatures + f;
      for (let c = 0; c < count; c++) block[jetBase + c * numFeatures] = values[items[start + c]];
    }
  }
  return block;
}

/**
 * Returns the segments of the selected `entries` of a jagged column: jet j gets the element
 * indices `columnOffsets[entries[j]] .. columnOffsets[entries[j] + 1] - 1`.
 */
export function entrySegments(columnOffsets: Int32Array, entries: Int32Array): { offsets: Int32Array; items: Int32Array } {
  const offsets = new Int32Array(entries.length + 1);
  for (let j = 0; j < entries.length; j++) offsets[j + 1] = offsets[j] + columnOffsets[entries[j] + 1] - columnOffsets[entries[j]];
  const items = new Int32Array(offsets[entries.length]);
  for (let j = 0; j < entries.length; j++) {
    const start = columnOffsets[entries[j]];
    for (let c = offsets[j]; c < offsets[j + 1]; c++) items[c] = start + c - offsets[j];
  }
  return { offsets, items };
}

/** Returns true when two offset arrays describe the same lengths per entry. */
export function sameOffsets(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] - a[0] !== b[i] - b[0]) return false;
  return true;
}
