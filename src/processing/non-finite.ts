/**
 * NaN and infinity policies applied to the processed jets of one file: per array ('global'
 * or a candidate group), jets with a non-finite value are dropped, or the values replaced.
 */

import type { NonFinitePolicy } from '../config/types.js';
import type { ProcessedJets } from './jet-file.js';

/** Counts of one array's policy: jets dropped or values replaced. */
export interface NonFiniteCount {
  action: NonFinitePolicy['action'];
  /** Jets removed because this array had a non-finite value (the first array in policy order counts a jet). */
  jetsDropped: number;
  /** Values set to the replacement. */
  valuesReplaced: number;
}

/** Reason under which dropped jets are counted in `dropped`, such as 'non_finite_global'. */
export function nonFiniteReason(array: string): string {
  return `non_finite_${array}`;
}

function arrayOf(processed: ProcessedJets, name: string): Float32Array | undefined {
  return name === 'global' ? processed.global : processed.groups[name];
}

function gatherRows(source: Float32Array, width: number, keep: Int32Array): Float32Array {
  const result = new Float32Array(keep.length * width);
  for (let j = 0; j < keep.length; j++) result.set(source.subarray(keep[j] * width, (keep[j] + 1) * width), j * width);
  return result;
}

function keepJets(processed: ProcessedJets, keep: Int32Array): ProcessedJets {
  const n = processed.numJets;
  const rows = (array: Float32Array): Float32Array => gatherRows(array, n === 0 ? 0 : array.length / n, keep);
  const groups: Record<string, Float32Array> = {};
  for (const [name, block] of Object.entries(processed.groups)) groups[name] = rows(block);
  const entries = new Int32Array(keep.length);
  const label = new Int32Array(keep.length);
  keep.forEach((jet, j) => {
    entries[j] = processed.entries[jet];
    label[j] = processed.label[jet];
  });
  return {
    ...processed,
    numJets: keep.length,
    entries,
    global: rows(processed.global),
    groups,
    ...(processed.spectators ? { spectators: rows(processed.spectators) } : {}),
    label,
    pt: rows(processed.pt),
    eta: rows(processed.eta),
    dropped: { ...processed.dropped },
  };
}

/**
 * Applies `policies` (keyed by 'global' or a candidate group name). Replacements happen in
 * place; dropped jets are removed and counted in `dropped` under {@link nonFiniteReason}.
 * Returns the jets and what each policy did.
 */
export function applyNonFinitePolicies(
  processed: ProcessedJets,
  policies: Record<string, NonFinitePolicy>,
): { jets: ProcessedJets; counts: Record<string, NonFiniteCount> } {
  const counts: Record<string, NonFiniteCount> = {};
  const n = processed.numJets;
  const droppedBy = new Int32Array(n).fill(-1);
  const names = Object.keys(policies);
  names.forEach((name, p) => {
    const policy = policies[name];
    const array = arrayOf(processed, name);
    const count: NonFiniteCount = { action: policy.action, jetsDropped: 0, valuesReplaced: 0 };
    counts[name] = count;
    if (array === undefined || n === 0) return;
    const width = array.length / n;
    for (let j = 0; j < n; j++) {
      for (let i = j * width; i < (j + 1) * width; i++) {
        if (Number.isFinite(array[i])) continue;
        if (policy.action === 'replace') {
          array[i] = policy.value;
          count.valuesReplaced += 1;
        } else if (droppedBy[j] < 0) {
          droppedBy[j] = p;
          count.jetsDropped += 1;
        }
      }
    }
  });
  if (!names.some((name) => counts[name].jetsDropped > 0)) return { jets: processed, counts };

  const keep: number[] = [];
  for (let j = 0; j < n; j++) if (droppedBy[j] < 0) keep.push(j);
  const jets = keepJets(processed, Int32Array.from(keep));
  for (const name of names) {
    if (counts[name].jetsDropped > 0) jets.dropped[nonFiniteReason(name)] = (jets.dropped[nonFiniteReason(name)] ?? 0) + counts[name].jetsDropped;
  }
  return { jets, counts };
}
