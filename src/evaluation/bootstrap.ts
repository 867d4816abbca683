/**
 * Bootstrap uncertainty bands of ROC curves. Each replica gives every jet a Poisson(1)
 * count (the Poisson bootstrap), multiplied into its weight, and recomputes the curve.
 * The band at a signal efficiency is the central 68 % interval (16th to 84th
 * percentile) of the replicas' mistag rates there.
 */
import { MAX_BOOTSTRAP_REPLICAS } from '../config/evaluation-section.js';
import { ConfigError, InputError } from '../errors.js';
import { Random } from '../random.js';
import { sortScores, type SortedScores } from './sorted-scores.js';

/** Signal efficiencies at which bands are evaluated by default: 0.01, 0.02, ..., 1. */
export const DEFAULT_BAND_EFFICIENCIES: Float64Array = Float64Array.from({ length: 100 }, (_, i) => (i + 1) / 100);

// cumulative Poisson(1) probabilities P(k <= n) for n = 0..11; the rest of the tail is below 1e-9
const POISSON_ONE_CDF: Float64Array = (() => {
  const cdf = new Float64Array(12);
  let term = Math.exp(-1);
  let sum = 0;
  for (let n = 0; n < cdf.length; n++) {
    sum += term;
    cdf[n] = sum;
    term /= n + 1;
  }
  return cdf;
})();

export interface BootstrapOptions {
  /** Number of replicas, 1 to MAX_BOOTSTRAP_REPLICAS. */
  replicas: number;
  seed: number;
  /** Per-jet weights of the signal jets; default 1 each. */
  signalWeights?: ArrayLike<number>;
  /** Per-jet weights of the background jets; default 1 each. */
  backgroundWeights?: ArrayLike<number>;
  /** Signal efficiencies at which the band is evaluated, increasing; default DEFAULT_BAND_EFFICIENCIES. */
  efficiencies?: ArrayLike<number>;
  /** Names the jets in error messages. */
  name?: string;
}

/** Percentiles of the replicas' mistag rates at fixed signal efficiencies, and of their AUCs. */
export interface RocBand {
  replicas: number;
  seed: number;
  signalEfficiency: Float64Array;
  /** 16th percentile of the mistag rate, per signal efficiency. */
  mistagLow: Float64Array;
  mistagMedian: Float64Array;
  /** 84th percentile of the mistag rate, per signal efficiency. */
  mistagHigh: Float64Array;
  /** AUC of each replica, in replica order. */
  aucs: Float64Array;
  /** Sample standard deviation of the replica AUCs. */
  aucStd: number;
}

/**
 * Computes a bootstrap band for the ROC curve of the given scores.
 *
 * Each group is sorted once; every replica is then one O(n) sweep, so the cost is
 * O(n log n + replicas * n). The result depends only on the scores, weights and seed. In
 * each replica the mistag rate at efficiency e is taken at the first point, from the
 * highest threshold down, whose signal efficiency reaches e. Throws a ConfigError for a
 * replica count outside [1, MAX_BOOTSTRAP_REPLICAS] and an InputError for empty groups.
 */
export function bootstrapRoc(signalScores: ArrayLike<number>, backgroundScores: ArrayLike<number>, options: BootstrapOptions): RocBand {
  const name = options.name ?? 'ROC curve';
  const { replicas, seed } = options;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_BOOTSTRAP_REPLICAS) {
    throw new ConfigError(`${name}: ${replicas} bootstrap replicas requested; use a whole number from 1 to ${MAX_BOOTSTRAP_REPLICAS}`, {
      configKey: 'evaluation.bootstrap.replicas',
    });
  }
  if (signalScores.length === 0 || backgroundScores.length === 0) {
    throw new InputError(`${name}: ${signalScores.length} signal and ${backgroundScores.length} background jets; a bootstrap band needs both`);
  }
  const signal = sortScores(signalScores, options.signalWeights, `signal jets of ${name}`);
  const background = sortScores(backgroundScores, options.backgroundWeights, `background jets of ${name}`);
  const efficiencies = Float64Array.from(options.efficiencies ?? DEFAULT_BAND_EFFICIENCIES);

  const random = new Random(seed);
  const mistags = new Float64Array(replicas * efficiencies.length);
  const aucs = new Float64Array(replicas);
  const signalWeights = new Float64Array(signal.scores.length);
  const backgroundWeights = new Float64Array(background.scores.length);
  for (let replica = 0; replica < replicas; replica++) {
    resample(signal, signalWeights, random);
    resample(background, backgroundWeights, random);
    const row = mistags.subarray(replica * efficiencies.length, (replica + 1) * efficiencies.length);
    aucs[replica] = sweep(signal.scores, signalWeights, background.scores, backgroundWeights, efficiencies, row);
  }

  const mistagLow = new Float64Array(efficiencies.length);
  const mistagMedian = new Float64Array(efficiencies.length);
  const mistagHigh = new Float64Array(efficiencies.length);
  const column = new Float64Array(replicas);
  for (let e = 0; e < efficiencies.length; e++) {
    for (let replica = 0; replica < replicas; replica++) column[replica] = mistags[replica * efficiencies.length + e];
    column.sort();
    mistagLow[e] = percentile(column, 0.16);
    mistagMedian[e] = percentile(column, 0.5);
    mistagHigh[e] = percentile(column, 0.84);
  }
  return { replicas, seed, signalEfficiency: efficiencies, mistagLow, mistagMedian, mistagHigh, aucs, aucStd: standardDeviation(aucs) };
}

/** Fills `out` with each jet's weight times a Poisson(1) count. */
function resample(sorted: SortedScores, out: Float64Array, random: Random): void {
  for (let i = 0; i < out.length; i++) {
    const u = random.uniform();
    let count = 0;
    while (count < POISSON_ONE_CDF.length && u >= POISSON_ONE_CDF[count]) count++;
    out[i] = count * sorted.weights[i];
  }
}

/**
 * Sweeps both groups (sorted increasing) from the highest score down, writes the mistag
 * rate at each efficiency into `mistagOut` and returns the AUC. A replica whose signal or
 * background weights sum to 0 gives NaN throughout.
 */
function sweep(
  signalScores: Float64Array,
  signalWeights: Float64Array,
  backgroundScores: Float64Array,
  backgroundWeights: Float64Array,
  efficiencies: Float64Array,
  mistagOut: Float64Array,
): number {
  let totalSignal = 0;
  for (let i = 0; i < signalWeights.length; i++) totalSignal += signalWeights[i];
  let totalBackground = 0;
  for (let j = 0; j < backgroundWeights.length; j++) totalBackground += backgroundWeights[j];
  if (!(totalSignal > 0 && totalBackground > 0)) {
    mistagOut.fill(NaN);
    return NaN;
  }

  let i = signalScores.length - 1;
  let j = backgroundScores.length - 1;
  let passedSignal = 0;
  let passedBackground = 0;
  let area = 0;
  let next = 0;
  while (i >= 0 || j >= 0) {
    const value = Math.max(i >= 0 ? signalScores[i] : -Infinity, j >= 0 ? backgroundScores[j] : -Infinity);
    const previousSignal = passedSignal;
    const previousBackground = passedBackground;
    while (i >= 0 && signalScores[i] === value) passedSignal += signalWeights[i--];
    while (j >= 0 && backgroundScores[j] === value) passedBackground += backgroundWeights[j--];
    area += (passedBackground - previousBackground) * (passedSignal + previousSignal);
    const efficiency = passedSignal / totalSignal;
    while (next < efficiencies.length && efficiencies[next] <= efficiency) mistagOut[next++] = passedBackground / totalBackground;
  }
  // rounding can leave the last efficiency a hair below 1
  while (next < efficiencies.length) mistagOut[next++] = passedBackground / totalBackground;
  return area / 2 / (totalSignal * totalBackground);
}

/** Linear-interpolated percentile of sorted values, ignoring NaN (which sorts last). */
function percentile(sorted: Float64Array, fraction: number): number {
  let count = sorted.length;
  while (count > 0 && Number.isNaN(sorted[count - 1])) count--;
  if (count === 0) return NaN;
  const position = fraction * (count - 1);
  const low = Math.floor(position);
  const high = Math.min(count - 1, low + 1);
  return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
}

function standardDeviation(values: Float64Array): number {
  let count = 0;
  let mean = 0;
  for (const value of values) {
    if (Number.isNaN(value)) continue;
    count++;
    mean += value;
  }
  if (count < 2) return NaN;
  mean /= count;
  let sum = 0;
  for (const value of values) if (!Number.isNaN(value)) sum += (value - mean) ** 2;
  return Math.sqrt(sum / (count - 1));
}
