/**
 * Discriminants from class probabilities, in two styles. The CMS style ('ratio') is the
 * summed probabilities of the signal classes over those of signal plus background
 * classes, for example BvsL = P(b+bb+lepb) / P(b+bb+lepb+uds+g). The ATLAS style
 * ('log_likelihood_ratio') is D = ln((P(signal) + ε) / (Σ_k f_k P(k) + ε)) over the
 * background classes k with fractions f_k, as in DL1r's D_b = ln(p_b / (f_c p_c + (1 - f_c) p_u)).
 * Only jets whose true class is a signal or a background class of a discriminant enter
 * its ROC curve and working points.
 */
import type { DiscriminantKind, DiscriminantSpec } from '../config/types.js';
import { ConfigError, InputError, didYouMean } from '../errors.js';

/**
 * Added to numerator and denominator of the log-likelihood ratio so that a probability of
 * exactly 0 gives a large finite score instead of an infinity.
 */
export const LOG_LIKELIHOOD_EPSILON = 1e-10;

/** The names that describe a discriminant in plots and tables. */
export interface DiscriminantClasses {
  name: string;
  signal: readonly string[];
  background: readonly string[];
}

/** A discriminant with its class names turned into class indices. */
export interface ResolvedDiscriminant extends DiscriminantClasses {
  kind: DiscriminantKind;
  /** For 'log_likelihood_ratio': fraction per background class, in the order of `background`. */
  backgroundFractions?: Float64Array;
  /** Indices into the class list of the signal classes. */
  signalClasses: Int32Array;
  /** Indices into the class list of the background classes. */
  backgroundClasses: Int32Array;
}

/** Discriminant scores of the jets that enter one discriminant's ROC curve. */
export interface DiscriminantScores {
  discriminant: ResolvedDiscriminant;
  /** Scores of signal jets, in [0, 1], in jet order. */
  signalScores: Float64Array;
  /** Scores of background jets, in [0, 1], in jet order. */
  backgroundScores: Float64Array;
  /** Per-jet weights of the signal jets; undefined when the input had no weights. */
  signalWeights?: Float64Array;
  /** Per-jet weights of the background jets; undefined when the input had no weights. */
  backgroundWeights?: Float64Array;
  /** Jets among these whose signal and background probabilities were both 0 (scored 0). */
  numZeroDenominator: number;
}

/**
 * Resolves the class names of a discriminant against the model's class list.
 *
 * Throws a ConfigError naming the discriminant and the class when a name is not in
 * `classNames` (with the closest names), when signal or background is empty, or when a
 * class is both signal and background.
 */
export function resolveDiscriminant(spec: DiscriminantSpec, classNames: readonly string[]): ResolvedDiscriminant {
  const configKey = `discriminants.${spec.name}`;
  if (spec.signal.length === 0 || spec.background.length === 0) {
    const empty = spec.signal.length === 0 ? 'signal' : 'background';
    throw new ConfigError(`discriminant '${spec.name}' has no ${empty} classes; list at least one class name`, {
      configKey: `${configKey}.${empty}`,
    });
  }

  const lookUp = (name: string, role: 'signal' | 'background'): number => {
    const index = classNames.indexOf(name);
    if (index < 0) {
      throw new ConfigError(
        `discriminant '${spec.name}' names ${role} class '${name}', which is not one of the classes ` +
          `${classNames.join(', ')}.${didYouMean(name, classNames)}`,
        { configKey: `${configKey}.${role}` },
      );
    }
    return index;
  };
  const signalClasses = Int32Array.from(spec.signal, (name) => lookUp(name, 'signal'));
  const backgroundClasses = Int32Array.from(spec.background, (name) => lookUp(name, 'background'));

  for (const name of spec.signal) {
    if (spec.background.includes(name)) {
      throw new ConfigError(
        `discriminant '${spec.name}' lists class '${name}' as both signal and background; remove it from one list`,
        { configKey },
      );
    }
  }

  const kind = spec.kind ?? 'ratio';
  const resolved: ResolvedDiscriminant = {
    name: spec.name,
    signal: [...spec.signal],
    background: [...spec.background],
    kind,
    signalClasses,
    backgroundClasses,
  };
  if (kind === 'log_likelihood_ratio') {
    resolved.backgroundFractions = resolveFractions(spec, configKey);
  } else if (spec.backgroundFractions !== undefined) {
    throw new ConfigError(
      `discriminant '${spec.name}' has background fractions but type ${kind}; fractions apply only to log_likelihood_ratio`,
      { configKey },
    );
  }
  return resolved;
}

function resolveFractions(spec: DiscriminantSpec, configKey: string): Float64Array {
  const count = spec.background.length;
  if (spec.backgroundFractions === undefined) return new Float64Array(count).fill(1 / count);
  const fractions = Float64Array.from(spec.backgroundFractions);
  const key = `${configKey}.background_fractions`;
  if (fractions.length !== count) {
    throw new ConfigError(
      `discriminant '${spec.name}' has ${fractions.length} background fractions for ${count} background classes (${spec.background.join(', ')})`,
      { configKey: key },
    );
  }
  let sum = 0;
  for (const fraction of fractions) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new ConfigError(`discriminant '${spec.name}' has background fraction ${fraction}; fractions must lie in [0, 1]`, { configKey: key });
    }
    sum += fraction;
  }
  if (Math.abs(sum - 1) > 1e-6) {
    throw new ConfigError(`discriminant '${spec.name}' has background fractions summing to ${sum}; they must sum to 1`, { configKey: key });
  }
  return fractions;
}

/**
 * Computes one discriminant for every jet.
 *
 * `probabilities` is float32 [jets, classes], row-major; sums are taken in double
 * precision. For 'ratio' the score is P(signal) / (P(signal) + P(background)), in [0, 1].
 * A jet whose signal and background sums are both 0 gets score 0, so it ranks with the
 * least signal-like jets and is never tagged at a threshold of 0 or above. For
 * 'log_likelihood_ratio' the score is ln((P(signal) + ε) / (Σ_k f_k P(k) + ε)) with
 * ε = LOG_LIKELIHOOD_EPSILON, finite (|score| ≤ 23.1 for probabilities up to 1), and
 * 0 when all of them are 0. `numZeroDenominator` counts the jets whose signal and
 * background probabilities are all 0. Returns float64 [jets]. Throws an InputError when
 * a sum is NaN or negative.
 */
export function computeDiscriminant(
  probabilities: Float32Array,
  numClasses: number,
  discriminant: ResolvedDiscriminant,
): { scores: Float64Array; numZeroDenominator: number } {
  if (!Number.isInteger(numClasses) || numClasses <= 0 || probabilities.length % numClasses !== 0) {
    throw new InputError(
      `probabilities have ${probabilities.length} values, which is not a multiple of ${numClasses} classes`,
    );
  }
  if (discriminant.kind === 'log_likelihood_ratio') return computeLogLikelihoodRatio(probabilities, numClasses, discriminant);
  const numJets = probabilities.length / numClasses;
  const scores = new Float64Array(numJets);
  const { signalClasses, backgroundClasses } = discriminant;
  let numZeroDenominator = 0;

  for (let jet = 0; jet < numJets; jet++) {
    const row = jet * numClasses;
    let signal = 0;
    for (let k = 0; k < signalClasses.length; k++) signal += probabilities[row + signalClasses[k]];
    let background = 0;
    for (let k = 0; k < backgroundClasses.length; k++) background += probabilities[row + backgroundClasses[k]];
    const denominator = signal + background;
    if (denominator > 0) {
      scores[jet] = signal / denominator;
    } else if (denominator === 0) {
      scores[jet] = 0;
      numZeroDenominator++;
    } else {
      throw new InputError(
        `jet ${jet} has signal probability ${signal} and background probability ${background} ` +
          `for discriminant '${discriminant.name}'; probabilities must be finite and not negative`,
      );
    }
  }
  return { scores, numZeroDenominator };
}

function computeLogLikelihoodRatio(
  probabilities: Float32Array,
  numClasses: number,
  discriminant: ResolvedDiscriminant,
): { scores: Float64Array; numZeroDenominator: number } {
  const numJets = probabilities.length / numClasses;
  const scores = new Float64Array(numJets);
  const { signalClasses, backgroundClasses } = discriminant;
  const fractions = discriminant.backgroundFractions ?? new Float64Array(backgroundClasses.length).fill(1 / backgroundClasses.length);
  let numZeroDenominator = 0;

  for (let jet = 0; jet < numJets; jet++) {
    const row = jet * numClasses;
    let signal = 0;
    for (let k = 0; k < signalClasses.length; k++) signal += probabilities[row + signalClasses[k]];
    let background = 0;
    let anyBackground = 0;
    for (let k = 0; k < backgroundClasses.length; k++) {
      const probability = probabilities[row + backgroundClasses[k]];
      background += fractions[k] * probability;
      anyBackground += probability;
    }
    if (!(signal >= 0 && background >= 0 && anyBackground >= 0)) {
      throw new InputError(
        `jet ${jet} has signal probability ${signal} and weighted background probability ${background} ` +
          `for discriminant '${discriminant.name}'; probabilities must be finite and not negative`,
      );
    }
    if (signal === 0 && anyBackground === 0) numZeroDenominator++;
    scores[jet] = Math.log((signal + LOG_LIKELIHOOD_EPSILON) / (background + LOG_LIKELIHOOD_EPSILON));
  }
  return { scores, numZeroDenominator };
}

/**
 * Picks the jets of a discriminant's signal and background classes.
 *
 * `labels` is int32 [jets], a class index per jet; -1 marks an unknown class and such
 * jets are skipped, as are jets of classes in neither list. Returns the jet indices of
 * each group in increasing order. Throws an InputError for a label outside
 * [-1, numClasses).
 */
export function selectDiscriminantJets(
  labels: Int32Array,
  numClasses: number,
  discriminant: Pick<ResolvedDiscriminant, 'signalClasses' | 'backgroundClasses'>,
): { signalJets: Int32Array; backgroundJets: Int32Array } {
  // role per class: 1 signal, 2 background, 0 neither
  const role = new Uint8Array(numClasses);
  for (const index of discriminant.signalClasses) role[index] = 1;
  for (const index of discriminant.backgroundClasses) role[index] = 2;

  let numSignal = 0;
  let numBackground = 0;
  for (let jet = 0; jet < labels.length; jet++) {
    const label = labels[jet];
    if (label === -1) continue;
    if (label < -1 || label >= numClasses) {
      throw new InputError(
        `jet ${jet} has label ${label}, outside the valid range -1 (unknown) to ${numClasses - 1}`,
      );
    }
    if (role[label] === 1) numSignal++;
    else if (role[label] === 2) numBackground++;
  }

  const signalJets = new Int32Array(numSignal);
  const backgroundJets = new Int32Array(numBackground);
  let s = 0;
  let b = 0;
  for (let jet = 0; jet < labels.length; jet++) {
    const label = labels[jet];
    if (label < 0) continue;
    if (role[label] === 1) signalJets[s++] = jet;
    else if (role[label] === 2) backgroundJets[b++] = jet;
  }
  return { signalJets, backgroundJets };
}

/**
 * Computes a discriminant and splits its scores (and weights) into signal and background.
 *
 * `probabilities` is float32 [jets, classes], `labels` int32 [jets] with -1 for unknown,
 * `weights` optional float32 [jets]. The zero-denominator count covers only the selected
 * jets.
 */
export function scoreDiscriminant(
  probabilities: Float32Array,
  labels: Int32Array,
  numClasses: number,
  discriminant: ResolvedDiscriminant,
  weights?: Float32Array,
): DiscriminantScores {
  const numJets = labels.length;
  if (probabilities.length !== numJets * numClasses) {
    throw new InputError(
      `probabilities have ${probabilities.length} values; expected ${numJets} jets x ${numClasses} classes`,
    );
  }
  if (weights !== undefined && weights.length !== numJets) {
    throw new InputError(`weights have ${weights.length} values; expected one per jet (${numJets})`);
  }

  const { scores } = computeDiscriminant(probabilities, numClasses, discriminant);
  const { signalJets, backgroundJets } = selectDiscriminantJets(labels, numClasses, discriminant);
  const signalScores = gather(scores, signalJets);
  const backgroundScores = gather(scores, backgroundJets);

  let numZeroDenominator = 0;
  for (const jets of [signalJets, backgroundJets]) {
    for (let k = 0; k < jets.length; k++) {
      const row = jets[k] * numClasses;
      if (scores[jets[k]] === 0 && !hasProbability(probabilities, row, discriminant)) numZeroDenominator++;
    }
  }

  const result: DiscriminantScores = { discriminant, signalScores, backgroundScores, numZeroDenominator };
  if (weights !== undefined) {
    result.signalWeights = gather(weights, signalJets);
    result.backgroundWeights = gather(weights, backgroundJets);
  }
  return result;
}

function gather(values: Float64Array | Float32Array, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = values[indices[k]];
  return out;
}

function hasProbability(probabilities: Float32Array, row: number, discriminant: ResolvedDiscriminant): boolean {
  for (const index of discriminant.signalClasses) if (probabilities[row + index] > 0) return true;
  for (const index of discriminant.backgroundClasses) if (probabilities[row + index] > 0) return true;
  return false;
}
