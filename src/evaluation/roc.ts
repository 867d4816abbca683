/**
 * ROC curves and their area. A jet is tagged when its score is strictly greater than
 * the threshold. The curve has one point per distinct score value, so jets with equal
 * scores always move together.
 */
import { InputError } from '../errors.js';
import { sortScores } from './sorted-scores.js';

/** Default maximum number of points kept by downsampleRoc for plots and CSV files. */
export const DEFAULT_MAX_ROC_POINTS = 2000;

/** Points of a ROC curve, ordered by decreasing threshold (increasing efficiencies). */
export interface RocPoints {
  /**
   * Point k counts the jets with score > thresholds[k]. The first threshold is the highest
   * score (no jet passes, point (0, 0)); the last is -Infinity (every jet passes, (1, 1)).
   */
  thresholds: Float64Array;
  /** Weighted fraction of signal jets with score above the threshold. */
  signalEfficiency: Float64Array;
  /** Weighted fraction of background jets with score above the threshold (mistag rate). */
  backgroundEfficiency: Float64Array;
}

export interface RocCurve extends RocPoints {
  /**
   * Area under signal efficiency against background efficiency, from every point: the
   * probability that a random signal jet scores above a random background jet, ties
   * counting one half (weighted by the product of the two jets' weights).
   */
  auc: number;
  numSignal: number;
  numBackground: number;
  sumSignalWeights: number;
  sumBackgroundWeights: number;
}

export interface RocOptions {
  /** Per-jet weights of the signal jets, [signal jets]; default 1 each. */
  signalWeights?: ArrayLike<number>;
  /** Per-jet weights of the background jets, [background jets]; default 1 each. */
  backgroundWeights?: ArrayLike<number>;
  /** Names the jets in error messages, for example the discriminant name. */
  name?: string;
}

/**
 * Computes the ROC curve and its AUC from the scores of signal and background jets.
 *
 * Each group is sorted once (O(n log n)); a merged sweep over the distinct score values
 * then gives the cumulative weights. The AUC is the trapezoid rule over all points, which
 * equals the Mann-Whitney U statistic divided by the number of pairs. Weights may be
 * negative, but each group's sum must be positive. Throws an InputError when a group is
 * empty, a score is NaN or a weight sum is not positive.
 */
export function computeRoc(signalScores: ArrayLike<number>, backgroundScores: ArrayLike<number>, options: RocOptions = {}): RocCurve {
  const name = options.name ?? 'ROC curve';
  if (signalScores.length === 0 || backgroundScores.length === 0) {
    throw new InputError(
      `${name}: ${signalScores.length} signal and ${backgroundScores.length} background jets; a ROC curve needs both`,
    );
  }
  const signal = sortScores(signalScores, options.signalWeights, `signal jets of ${name}`);
  const background = sortScores(backgroundScores, options.backgroundWeights, `background jets of ${name}`);
  for (const [group, sorted] of [['signal', signal], ['background', background]] as const) {
    if (!(sorted.sumWeights > 0)) {
      throw new InputError(`${name}: the ${group} weights sum to ${sorted.sumWeights}; the sum must be positive`);
    }
  }

  const maxPoints = signal.scores.length + background.scores.length + 1;
  const thresholds = new Float64Array(maxPoints);
  const signalPassed = new Float64Array(maxPoints);
  const backgroundPassed = new Float64Array(maxPoints);

  // sweep from the highest score down; i and j point at the next unvisited jet of each group
  let i = signal.scores.length - 1;
  let j = background.scores.length - 1;
  let cumulativeSignal = 0;
  let cumulativeBackground = 0;
  let numPoints = 1;
  thresholds[0] = Math.max(signal.scores[i], background.scores[j]);

  while (i >= 0 || j >= 0) {
    const value = Math.max(i >= 0 ? signal.scores[i] : -Infinity, j >= 0 ? background.scores[j] : -Infinity);
    while (i >= 0 && signal.scores[i] === value) cumulativeSignal += signal.weights[i--];
    while (j >= 0 && background.scores[j] === value) cumulativeBackground += background.weights[j--];
    thresholds[numPoints] = Math.max(i >= 0 ? signal.scores[i] : -Infinity, j >= 0 ? background.scores[j] : -Infinity);
    signalPassed[numPoints] = cumulativeSignal;
    backgroundPassed[numPoints] = cumulativeBackground;
    numPoints++;
  }

  // trapezoids in unnormalised weights, divided once at the end
  let area = 0;
  for (let k = 1; k < numPoints; k++) {
    area += (backgroundPassed[k] - backgroundPassed[k - 1]) * (signalPassed[k] + signalPassed[k - 1]);
  }
  const totalSignal = cumulativeSignal;
  const totalBackground = cumulativeBackground;
  const auc = area / 2 / (totalSignal * totalBackground);

  const signalEfficiency = new Float64Array(numPoints);
  const backgroundEfficiency = new Float64Array(numPoints);
  for (let k = 0; k < numPoints; k++) {
    signalEfficiency[k] = signalPassed[k] / totalSignal;
    backgroundEfficiency[k] = backgroundPassed[k] / totalBackground;
  }

  return {
    thresholds: thresholds.slice(0, numPoints),
    signalEfficiency,
    backgroundEfficiency,
    auc,
    numSignal: signal.scores.length,
    numBackground: background.scores.length,
    sumSignalWeights: totalSignal,
    sumBackgroundWeights: totalBackground,
  };
}

/**
 * Thins a ROC curve to at most `maxPoints` points (at least 3) for plots and CSV files,
 * keeping the first and last point.
 *
 * A point is kept when, since the last kept point, its signal efficiency moved by at
 * least 2 / maxPoints or log10 of its background efficiency by a matching step. This keeps
 * the detail of the low-mistag region of a log plot. Curves with negative weights, which
 * need not be monotonic, may still exceed the budget; they are then thinned evenly by
 * index. The AUC of a curve must be taken from the full curve, not from these points.
 */
export function downsampleRoc(curve: RocPoints, maxPoints = DEFAULT_MAX_ROC_POINTS): RocPoints {
  if (!Number.isInteger(maxPoints) || maxPoints < 3) {
    throw new RangeError(`maximum number of ROC points must be a whole number of at least 3, not ${maxPoints}`);
  }
  const count = curve.thresholds.length;
  if (count <= maxPoints) return curve;

  let smallestPositive = 1;
  for (let k = 0; k < count; k++) {
    const value = curve.backgroundEfficiency[k];
    if (value > 0 && value < smallestPositive) smallestPositive = value;
  }
  const decades = Math.max(1, -Math.log10(smallestPositive));
  const budget = maxPoints - 3;
  const stepX = 2 / budget;
  const stepLog = (2 * decades) / budget;

  const keptIndices: number[] = [0];
  let lastX = curve.signalEfficiency[0];
  let lastLog = safeLog10(curve.backgroundEfficiency[0]);
  for (let k = 1; k < count - 1; k++) {
    const x = curve.signalEfficiency[k];
    const log = safeLog10(curve.backgroundEfficiency[k]);
    const movedLog = lastLog === -Infinity ? log !== -Infinity : Math.abs(log - lastLog) >= stepLog;
    if (Math.abs(x - lastX) >= stepX || movedLog) {
      keptIndices.push(k);
      lastX = x;
      lastLog = log;
    }
  }
  keptIndices.push(count - 1);

  let indices = keptIndices;
  if (indices.length > maxPoints) {
    indices = [];
    for (let m = 0; m < maxPoints; m++) indices.push(keptIndices[Math.round((m * (keptIndices.length - 1)) / (maxPoints - 1))]);
  }
  return {
    thresholds: Float64Array.from(indices, (k) => curve.thresholds[k]),
    signalEfficiency: Float64Array.from(indices, (k) => curve.signalEfficiency[k]),
    backgroundEfficiency: Float64Array.from(indices, (k) => curve.backgroundEfficiency[k]),
  };
}

function safeLog10(value: number): number {
  return value > 0 ? Math.log10(value) : -Infinity;
}
