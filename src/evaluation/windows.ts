/**
 * ROC curves in (pT, η) windows: the same discriminant evaluated only on the jets with
 * ptMin <= pT < ptMax and absEtaMin <= |η| < absEtaMax.
 */
import type { EvaluationWindow } from '../config/types.js';
import type { GroupColumns } from './discriminant-jets.js';
import { rejectionAtEfficiencies, type RejectionPoint } from './rejection.js';
import { computeRoc, type RocCurve } from './roc.js';

/** The ROC curve of one discriminant in one window, or why there is none. */
export interface WindowResult {
  window: EvaluationWindow;
  numSignal: number;
  numBackground: number;
  /** Undefined when the window has no signal or no background jets. */
  curve?: RocCurve;
  rejection: RejectionPoint[];
  /** Set when the curve could not be computed. */
  note?: string;
}

/** Returns the columns of the jets inside `window`; pt and eta must be present. */
export function selectWindow(group: GroupColumns, window: EvaluationWindow): GroupColumns {
  const pt = group.pt;
  const eta = group.eta;
  if (pt === undefined || eta === undefined) throw new RangeError('selectWindow needs pt and eta columns');
  const kept: number[] = [];
  for (let i = 0; i < group.scores.length; i++) {
    const absEta = Math.abs(eta[i]);
    if (pt[i] >= window.ptMin && pt[i] < window.ptMax && absEta >= window.absEtaMin && absEta < window.absEtaMax) kept.push(i);
  }
  const pick = (values: Float64Array): Float64Array => Float64Array.from(kept, (i) => values[i]);
  return {
    scores: pick(group.scores),
    weights: group.weights === undefined ? undefined : pick(group.weights),
    pt: pick(pt),
    eta: pick(eta),
  };
}

/** Computes the ROC curve and rejection table of one discriminant in each window. */
export function evaluateWindows(
  signal: GroupColumns,
  background: GroupColumns,
  windows: readonly EvaluationWindow[],
  rejectionEfficiencies: readonly number[],
  name: string,
): WindowResult[] {
  return windows.map((window) => {
    const s = selectWindow(signal, window);
    const b = selectWindow(background, window);
    const result: WindowResult = { window, numSignal: s.scores.length, numBackground: b.scores.length, rejection: [] };
    if (s.scores.length === 0 || b.scores.length === 0) {
      result.note = `window '${window.name}' has ${s.scores.length} signal and ${b.scores.length} background jets; a ROC curve needs both`;
      return result;
    }
    const label = `discriminant '${name}' in window '${window.name}'`;
    result.curve = computeRoc(s.scores, b.scores, { signalWeights: s.weights, backgroundWeights: b.weights, name: label });
    result.rejection = rejectionAtEfficiencies(result.curve, rejectionEfficiencies, b.scores, b.weights, label);
    return result;
  });
}
