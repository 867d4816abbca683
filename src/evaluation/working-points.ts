/**
 * Working points: the discriminant threshold at which the background efficiency
 * (mistag rate) reaches a target such as 10%, 1% or 0.1%, and the signal efficiency
 * there. A jet is tagged when its score is strictly greater than the threshold, as in
 * the ROC curves.
 */
import { ConfigError, InputError } from '../errors.js';
import { passFractionAbove } from './binomial.js';
import { sortScores } from './sorted-scores.js';

/** Relative tolerance when comparing an achieved mistag rate with its target, for rounding in the weight sums. */
const TARGET_TOLERANCE = 1e-12;

export interface WorkingPoint {
  /** Requested background efficiency, in (0, 1]. */
  targetMistag: number;
  /**
   * Jets with score > threshold are tagged. It is a background jet's score, or -Infinity
   * when the target allows every background jet to pass.
   */
  threshold: number;
  /** Weighted fraction of background jets with score > threshold; at most the target. */
  achievedMistag: number;
  /** Weighted fraction of signal jets with score > threshold. */
  signalEfficiency: number;
  /** Binomial statistical uncertainty of signalEfficiency; see findWorkingPoints for the weighted formula. */
  signalEfficiencyUncertainty: number;
  numSignal: number;
  numBackground: number;
  /**
   * True when the target is below 1 / numBackground, so the sample cannot resolve it: the
   * threshold is the highest background score and the achieved mistag rate is 0 (or the
   * weight fraction of fewer jets than one).
   */
  belowBackgroundResolution: boolean;
  /** Explanation for the reader of a report; set when belowBackgroundResolution is true. */
  note?: string;
}

export interface FindWorkingPointsOptions {
  /** Per-jet weights of the signal jets, [signal jets]; default 1 each. */
  signalWeights?: ArrayLike<number>;
  /** Per-jet weights of the background jets, [background jets]; default 1 each. */
  backgroundWeights?: ArrayLike<number>;
  /** Names the jets in error messages, for example the discriminant name. */
  name?: string;
}

/**
 * Finds, for each target mistag rate, the lowest threshold whose background efficiency is
 * at most the target, so the achieved rate is the largest possible without exceeding it.
 *
 * The threshold is exact: with background scores sorted, the candidates are the distinct
 * background scores (and -Infinity), and the efficiency above each is a prefix sum of
 * weights. With unit weights this is the (floor(target * N) + 1)-th highest background
 * score. The achieved rate can be below the target when jets share a score.
 *
 * The uncertainty of the signal efficiency e = W_pass / W is binomial: sqrt(e(1 - e) / N)
 * without weights. With weights it is the standard error of the ratio estimator,
 * sqrt((1 - e)^2 * S_pass + e^2 * S_fail) / W. Here S_pass and S_fail are the sums of the
 * squared weights of the passing and failing signal jets. With unit weights this reduces
 * to the unweighted formula.
 *
 * Throws a ConfigError for a target outside (0, 1] and an InputError for empty groups or
 * weight sums that are not positive.
 */
export function findWorkingPoints(
  signalScores: ArrayLike<number>,
  backgroundScores: ArrayLike<number>,
  targets: readonly number[],
  options: FindWorkingPointsOptions = {},
): WorkingPoint[] {
  const name = options.name ?? 'working points';
  for (const target of targets) {
    if (!(target > 0 && target <= 1)) {
      throw new ConfigError(`${name}: working point mistag rate ${target} is invalid; it must be in (0, 1]`, {
        configKey: 'working_points',
      });
    }
  }
  if (signalScores.length === 0 || backgroundScores.length === 0) {
    throw new InputError(
      `${name}: ${signalScores.length} signal and ${backgroundScores.length} background jets; working points need both`,
    );
  }
  if (options.signalWeights !== undefined && options.signalWeights.length !== signalScores.length) {
    throw new InputError(`${name}: ${signalScores.length} signal scores but ${options.signalWeights.length} weights`);
  }
  const background = sortScores(backgroundScores, options.backgroundWeights, `background jets of ${name}`);
  if (!(background.sumWeights > 0)) {
    throw new InputError(`${name}: the background weights sum to ${background.sumWeights}; the sum must be positive`);
  }
  const { thresholds, passedAbove } = distinctThresholds(background.scores, background.weights);

  return targets.map((target) => {
    const limit = target * background.sumWeights * (1 + TARGET_TOLERANCE);
    // with negative weights the prefix sums need not grow, so scan them all for the best one
    let best = 0;
    for (let k = 1; k < thresholds.length; k++) {
      if (passedAbove[k] <= limit && passedAbove[k] > passedAbove[best]) best = k;
    }
    const threshold = thresholds[best];
    const efficiency = passFractionAbove(signalScores, options.signalWeights, threshold, `signal jets of ${name}`);
    const numBackground = background.scores.length;
    const belowBackgroundResolution = target < 1 / numBackground;

    const point: WorkingPoint = {
      targetMistag: target,
      threshold,
      achievedMistag: passedAbove[best] / background.sumWeights,
      signalEfficiency: efficiency.value,
      signalEfficiencyUncertainty: efficiency.uncertainty,
      numSignal: signalScores.length,
      numBackground,
      belowBackgroundResolution,
    };
    if (belowBackgroundResolution) {
      point.note =
        `target mistag rate ${target} is below 1/${numBackground} background jets, so this sample cannot ` +
        `resolve it; the threshold is the highest background score`;
    }
    return point;
  });
}

/**
 * Returns the candidate thresholds, decreasing: each distinct background score, then
 * -Infinity, with the background weight strictly above each. `scores` is increasing.
 */
function distinctThresholds(scores: Float64Array, weights: Float64Array): { thresholds: Float64Array; passedAbove: Float64Array } {
  const thresholds = new Float64Array(scores.length + 1);
  const passedAbove = new Float64Array(scores.length + 1);
  let count = 0;
  let cumulative = 0;
  let i = scores.length - 1;
  while (i >= 0) {
    const value = scores[i];
    thresholds[count] = value;
    passedAbove[count] = cumulative;
    count++;
    while (i >= 0 && scores[i] === value) cumulative += weights[i--];
  }
  thresholds[count] = -Infinity;
  passedAbove[count] = cumulative;
  count++;
  return { thresholds: thresholds.slice(0, count), passedAbove: passedAbove.slice(0, count) };
}
