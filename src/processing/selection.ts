/**
 * Jet selection in a fixed order: drop categories first, then acceptance cuts, then truth
 * labels. Every removed entry is counted under one reason, the first that applies.
 */

import type { Cuts } from '../config/types.js';
import { assignClass, findFlagGroup, type FlagColumns } from './labels.js';

/** Reasons for removing a jet besides the drop categories, which are counted under their own names. */
export const CUT_REASONS = {
  nonFiniteKinematics: 'non_finite_kinematics',
  ptMin: 'pt_min',
  ptMax: 'pt_max',
  absEtaMax: 'abs_eta_max',
  noClass: 'no_class',
  selection: 'selection',
} as const;

export interface SelectionInput {
  file: string;
  numEntries: number;
  /** Jet pT in GeV, [entries]. */
  pt: ArrayLike<number>;
  /** Jet pseudorapidity, [entries]. */
  eta: ArrayLike<number>;
  cuts: Cuts;
  /** Drop categories, checked in order; an entry counts under the first that matches. */
  drop: FlagColumns[];
  /** Truth classes; `undefined` for data without truth, which gets label -1. */
  classes?: FlagColumns[];
  /** Class indices in priority order for jets that match several classes; undefined makes that an error. */
  classPriority?: number[];
  /** Per-entry mask from the selection expression; 0 removes the entry, counted as 'selection'. */
  mask?: ArrayLike<number>;
}

export interface EntrySelection {
  /** Entries that pass, in file order. */
  entries: Int32Array;
  /** Class index of each selected entry, or -1 without truth classes. */
  labels: Int32Array;
  /** Entries removed, keyed by reason. */
  dropped: Record<string, number>;
}

/** Returns the cut that removes a jet, or undefined when it passes. Ends: pT in [ptMin, ptMax], |η| ≤ absEtaMax. */
export function failedCut(pt: number, eta: number, cuts: Cuts): string | undefined {
  if (!Number.isFinite(pt) || !Number.isFinite(eta)) return CUT_REASONS.nonFiniteKinematics;
  if (cuts.ptMin !== undefined && pt < cuts.ptMin) return CUT_REASONS.ptMin;
  if (cuts.ptMax !== undefined && pt > cuts.ptMax) return CUT_REASONS.ptMax;
  if (cuts.absEtaMax !== undefined && Math.abs(eta) > cuts.absEtaMax) return CUT_REASONS.absEtaMax;
  return undefined;
}

/**
 * Selects the entries of one file: drop categories, then cuts, then labels.
 * @throws InputError when an entry belongs to two classes.
 */
export function selectEntries(input: SelectionInput): EntrySelection {
  const { numEntries, pt, eta, cuts, drop, classes } = input;
  const entries = new Int32Array(numEntries);
  const labels = new Int32Array(numEntries);
  const dropped: Record<string, number> = {};
  const count = (reason: string): void => {
    dropped[reason] = (dropped[reason] ?? 0) + 1;
  };

  let selected = 0;
  for (let entry = 0; entry < numEntries; entry++) {
    const category = findFlagGroup(drop, entry);
    if (category >= 0) {
      count(drop[category].name);
      continue;
    }
    const cut = failedCut(pt[entry], eta[entry], cuts);
    if (cut !== undefined) {
      count(cut);
      continue;
    }
    if (input.mask && input.mask[entry] === 0) {
      count(CUT_REASONS.selection);
      continue;
    }
    let label = -1;
    if (classes) {
      label = assignClass(classes, entry, input.file, input.classPriority);
      if (label < 0) {
        count(CUT_REASONS.noClass);
        continue;
      }
    }
    entries[selected] = entry;
    labels[selected] = label;
    selected++;
  }
  return { entries: entries.slice(0, selected), labels: labels.slice(0, selected), dropped };
}
