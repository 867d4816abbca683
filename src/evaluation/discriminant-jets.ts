/**
 * The jets that enter each discriminant's evaluation, split into signal and background
 * columns (scores, and where given weights, pT and η). Discriminants come from class
 * probabilities (CMS ratio or ATLAS log-likelihood ratio) or, for reference taggers,
 * from a score already stored in the input, such as NanoAOD's Jet_btagDeepFlavB.
 */
import type { DiscriminantKind, DiscriminantSpec } from '../config/types.js';
import { ConfigError, InputError, didYouMean } from '../errors.js';
import { computeDiscriminant, resolveDiscriminant, selectDiscriminantJets, type DiscriminantClasses } from './discriminants.js';

/** Truth, model outputs and kinematics of the jets of one evaluation. */
export interface EvaluationData {
  /** Class names, in the order of the probability columns and of the label values. */
  classNames: readonly string[];
  /** True class index per jet, int32 [jets]; -1 marks an unknown class, ignored everywhere. */
  labels: Int32Array;
  /** Class probabilities, float32 [jets, classes]; needed only by probability discriminants. */
  probabilities?: Float32Array;
  /** Per-jet weights [jets]. */
  weights?: ArrayLike<number>;
  /** Jet pT in GeV [jets]. */
  pt?: ArrayLike<number>;
  /** Jet η [jets]. */
  eta?: ArrayLike<number>;
  /** Tagger or model name put before discriminant names in legends, such as "ParticleNet". */
  label?: string;
}

/** A discriminant stored in the input (a reference tagger), with its score per jet. */
export interface ReferenceTagger {
  name: string;
  signal: string[];
  background: string[];
  /** Score per jet [jets]; higher is more signal-like. */
  scores: ArrayLike<number>;
}

/** Columns of one group of jets (signal or background) of a discriminant, in jet order. */
export interface GroupColumns {
  scores: Float64Array;
  weights?: Float64Array;
  /** pT in GeV. */
  pt?: Float64Array;
  eta?: Float64Array;
}

/** The signal and background jets of one discriminant. */
export interface DiscriminantJets {
  name: string;
  /** Legend text, such as "ParticleNet HbbVsQCD". */
  label: string;
  classes: DiscriminantClasses;
  /** How the score was made; 'stored' for a reference tagger. */
  kind: DiscriminantKind | 'stored';
  signal: GroupColumns;
  background: GroupColumns;
  /** Selected jets whose signal and background probabilities were all 0. */
  numZeroDenominator: number;
}

/**
 * Scores every discriminant and reference tagger and splits its jets into signal and
 * background. Weights enter only when `useWeights` is true.
 *
 * All names are resolved before any scoring. Throws a ConfigError for an unknown class,
 * a name used twice, or probability discriminants without probabilities, and an
 * InputError when column lengths disagree.
 */
export function buildDiscriminantJets(
  data: EvaluationData,
  discriminants: readonly DiscriminantSpec[],
  references: readonly ReferenceTagger[],
  useWeights: boolean,
): DiscriminantJets[] {
  const numJets = data.labels.length;
  const numClasses = data.classNames.length;
  checkColumnLengths(data, numJets);
  const seen = new Set<string>();
  for (const name of [...discriminants.map((d) => d.name), ...references.map((r) => r.name)]) {
    if (seen.has(name)) {
      throw new ConfigError(`discriminant or reference tagger '${name}' is defined twice; give each its own name`, { configKey: 'discriminants' });
    }
    seen.add(name);
  }
  if (discriminants.length > 0 && data.probabilities === undefined) {
    throw new ConfigError(
      `discriminant '${discriminants[0].name}' needs class probabilities, but the input has no scores; ` +
        'configure a score per class or use reference taggers only',
      { configKey: 'discriminants' },
    );
  }
  const weights = useWeights ? data.weights : undefined;
  if (useWeights && weights === undefined) {
    throw new ConfigError('use_weights is true but the input has no weight column; configure one or set use_weights: false', {
      configKey: 'evaluation.use_weights',
    });
  }

  const resolved = discriminants.map((spec) => resolveDiscriminant(spec, data.classNames));
  const resolvedReferences = references.map((reference) => {
    if (reference.scores.length !== numJets) {
      throw new InputError(`reference tagger '${reference.name}' has ${reference.scores.length} scores for ${numJets} jets`);
    }
    return { reference, classes: resolveReferenceClasses(reference, data.classNames) };
  });

  const results: DiscriminantJets[] = [];
  for (const discriminant of resolved) {
    const probabilities = data.probabilities as Float32Array;
    const { scores } = computeDiscriminant(probabilities, numClasses, discriminant);
    const { signalJets, backgroundJets } = selectDiscriminantJets(data.labels, numClasses, discriminant);
    results.push({
      name: discriminant.name,
      label: legend(data, discriminant.name),
      classes: discriminant,
      kind: discriminant.kind,
      signal: gatherGroup(scores, weights, data, signalJets),
      background: gatherGroup(scores, weights, data, backgroundJets),
      numZeroDenominator: countAllZero(probabilities, numClasses, discriminant, signalJets, backgroundJets),
    });
  }
  for (const { reference, classes } of resolvedReferences) {
    const { signalJets, backgroundJets } = selectDiscriminantJets(data.labels, numClasses, classes);
    results.push({
      name: reference.name,
      label: reference.name,
      classes: { name: reference.name, signal: [...reference.signal], background: [...reference.background] },
      kind: 'stored',
      signal: gatherGroup(reference.scores, weights, data, signalJets),
      background: gatherGroup(reference.scores, weights, data, backgroundJets),
      numZeroDenominator: 0,
    });
  }
  return results;
}

function legend(data: EvaluationData, name: string): string {
  return data.label ? `${data.label} ${name}` : name;
}

function checkColumnLengths(data: EvaluationData, numJets: number): void {
  const numClasses = data.classNames.length;
  if (numClasses === 0) throw new InputError('evaluation input has no class names');
  if (data.probabilities !== undefined && data.probabilities.length !== numJets * numClasses) {
    throw new InputError(
      `probabilities have ${data.probabilities.length} values but ${numJets} jets x ${numClasses} classes ` +
        `(${data.classNames.join(', ')}) need ${numJets * numClasses}`,
    );
  }
  for (const [what, column] of [['weights', data.weights], ['pt', data.pt], ['eta', data.eta]] as const) {
    if (column !== undefined && column.length !== numJets) {
      throw new InputError(`${what} column has ${column.length} values for ${numJets} jets`);
    }
  }
}

function resolveReferenceClasses(reference: ReferenceTagger, classNames: readonly string[]): { signalClasses: Int32Array; backgroundClasses: Int32Array } {
  const lookUp = (name: string, role: 'signal' | 'background'): number => {
    const index = classNames.indexOf(name);
    if (index < 0) {
      throw new ConfigError(
        `reference tagger '${reference.name}' names ${role} class '${name}', which is not one of the classes ` +
          `${classNames.join(', ')}.${didYouMean(name, classNames)}`,
        { configKey: `reference_taggers.${reference.name}.${role}` },
      );
    }
    return index;
  };
  if (reference.signal.length === 0 || reference.background.length === 0) {
    throw new ConfigError(`reference tagger '${reference.name}' needs at least one signal and one background class`, {
      configKey: `reference_taggers.${reference.name}`,
    });
  }
  for (const name of reference.signal) {
    if (reference.background.includes(name)) {
      throw new ConfigError(`reference tagger '${reference.name}' lists class '${name}' as both signal and background`, {
        configKey: `reference_taggers.${reference.name}`,
      });
    }
  }
  return {
    signalClasses: Int32Array.from(reference.signal, (name) => lookUp(name, 'signal')),
    backgroundClasses: Int32Array.from(reference.background, (name) => lookUp(name, 'background')),
  };
}

function gatherGroup(scores: ArrayLike<number>, weights: ArrayLike<number> | undefined, data: EvaluationData, jets: Int32Array): GroupColumns {
  const pick = (values: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(jets.length);
    for (let k = 0; k < jets.length; k++) out[k] = values[jets[k]];
    return out;
  };
  const group: GroupColumns = { scores: pick(scores) };
  if (weights !== undefined) group.weights = pick(weights);
  if (data.pt !== undefined) group.pt = pick(data.pt);
  if (data.eta !== undefined) group.eta = pick(data.eta);
  return group;
}

function countAllZero(
  probabilities: Float32Array,
  numClasses: number,
  discriminant: { signalClasses: Int32Array; backgroundClasses: Int32Array },
  signalJets: Int32Array,
  backgroundJets: Int32Array,
): number {
  let count = 0;
  for (const jets of [signalJets, backgroundJets]) {
    for (let k = 0; k < jets.length; k++) {
      const row = jets[k] * numClasses;
      let any = false;
      for (const index of discriminant.signalClasses) if (probabilities[row + index] > 0) any = true;
      for (const index of discriminant.backgroundClasses) if (probabilities[row + index] > 0) any = true;
      if (!any) count++;
    }
  }
  return count;
}
