/**
 * Background rejection (1 / mistag rate) at fixed signal efficiencies, read exactly from
 * a ROC curve: the point used is the first one, going from the highest threshold down,
 * whose signal efficiency reaches the target.
 */
import { ConfigError } from '../errors.js';
import { passFractionAbove } from './binomial.js';
import type { RocPoints } from './roc.js';

/** The background rejection at one signal efficiency. */
export interface RejectionPoint {
  /** Requested signal efficiency, in (0, 1). */
  targetEfficiency: number;
  /** Jets with score > threshold are tagged. */
  threshold: number;
  /** Signal efficiency at the threshold; at least the target. */
  signalEfficiency: number;
  /** Weighted background fraction above the threshold. */
  mistag: number;
  /** Binomial uncertainty of `mistag` at this fixed threshold. */
  mistagUncertainty: number;
  /** 1 / mistag; Infinity when no background jet passes. */
  rejection: number;
  /** mistagUncertainty / mistag^2, the first-order uncertainty of the rejection; Infinity when mistag is 0. */
  rejectionUncertainty: number;
}

/**
 * Returns the index of the first point of `curve` (ordered by decreasing threshold) whose
 * signal efficiency is at least `efficiency`, or the last point when none reaches it.
 */
export function pointAtEfficiency(curve: RocPoints, efficiency: number): number {
  const count = curve.signalEfficiency.length;
  for (let k = 0; k < count; k++) {
    if (curve.signalEfficiency[k] >= efficiency) return k;
  }
  return count - 1;
}

/**
 * Computes the rejection at each target signal efficiency from the full (not down-sampled)
 * ROC curve of the same jets, and the binomial uncertainty of the mistag rate from the
 * background scores and weights. Throws a ConfigError for a target outside (0, 1).
 */
export function rejectionAtEfficiencies(
  curve: RocPoints,
  targets: readonly number[],
  backgroundScores: ArrayLike<number>,
  backgroundWeights?: ArrayLike<number>,
  name = 'ROC curve',
): RejectionPoint[] {
  for (const target of targets) {
    if (!(target > 0 && target < 1)) {
      throw new ConfigError(`${name}: signal efficiency ${target} for the rejection table is invalid; it must lie in (0, 1)`, {
        configKey: 'evaluation.rejection_efficiencies',
      });
    }
  }
  return targets.map((target) => {
    const k = pointAtEfficiency(curve, target);
    const threshold = curve.thresholds[k];
    const mistag = curve.backgroundEfficiency[k];
    const { uncertainty } = passFractionAbove(backgroundScores, backgroundWeights, threshold, `background jets of ${name}`);
    return {
      targetEfficiency: target,
      threshold,
      signalEfficiency: curve.signalEfficiency[k],
      mistag,
      mistagUncertainty: uncertainty,
      rejection: mistag > 0 ? 1 / mistag : Infinity,
      rejectionUncertainty: mistag > 0 ? uncertainty / (mistag * mistag) : Infinity,
    };
  });
}
