/**
 * The evaluation parts of a configuration: the style of each discriminant (CMS
 * probability ratio or ATLAS log-likelihood ratio with background fractions) and the
 * optional `evaluation` section (rejection table, bootstrap bands, efficiency binning,
 * (pT, η) windows). Both the chain's config and `bhive evaluate`'s config use these readers.
 */
import type { DiscriminantKind, EvaluationSettings, EvaluationWindow } from './types.js';
import {
  checkKeys,
  invalid,
  readBoolean,
  readEdges,
  readNumber,
  readObject,
  readPositiveInteger,
  readString,
  type ValidationContext,
  type YamlObject,
} from './validate.js';

/** Mistag rates of the working points when a config gives none: 10 %, 5 %, 1 %, 0.5 % and 0.1 %. */
export const DEFAULT_WORKING_POINTS: readonly number[] = [0.1, 0.05, 0.01, 0.005, 0.001];

/** Signal efficiencies of the rejection table when a config gives none. */
export const DEFAULT_REJECTION_EFFICIENCIES: readonly number[] = [0.5, 0.7, 0.85];

/** Upper limit on bootstrap replicas, which bounds the run time at replicas x one pass over the jets. */
export const MAX_BOOTSTRAP_REPLICAS = 1000;

/** Keys allowed in one discriminant entry. */
export const DISCRIMINANT_KEYS = ['signal', 'background', 'type', 'background_fractions'] as const;

const DISCRIMINANT_KINDS: readonly DiscriminantKind[] = ['ratio', 'log_likelihood_ratio'];

/**
 * Reads `type` and `background_fractions` of the discriminant at `key`. The fractions are
 * a mapping from each background class to its fraction, and are allowed only with
 * `type: log_likelihood_ratio`. They must name every background class once, lie in
 * [0, 1] and sum to 1 within 1e-6. Without them the log-likelihood ratio uses equal fractions.
 */
export function readDiscriminantStyle(
  ctx: ValidationContext,
  key: string,
  spec: YamlObject,
  background: readonly string[],
): { kind?: DiscriminantKind; backgroundFractions?: number[] } {
  let kind: DiscriminantKind | undefined;
  if (spec.type !== undefined) {
    const text = readString(ctx, `${key}.type`, spec.type);
    if (!(DISCRIMINANT_KINDS as readonly string[]).includes(text)) {
      invalid(ctx, `${key}.type`, `'${text}' is not a discriminant type; use ratio (CMS style) or log_likelihood_ratio (ATLAS style)`);
    }
    kind = text as DiscriminantKind;
  }
  if (spec.background_fractions === undefined) return kind === undefined ? {} : { kind };

  const fractionsKey = `${key}.background_fractions`;
  if (kind !== 'log_likelihood_ratio') {
    invalid(ctx, fractionsKey, 'background fractions apply only to discriminants with type: log_likelihood_ratio');
  }
  const object = readObject(ctx, fractionsKey, spec.background_fractions);
  checkKeys(ctx, fractionsKey, object, background);
  let sum = 0;
  const fractions = background.map((name) => {
    if (object[name] === undefined) invalid(ctx, fractionsKey, `background class '${name}' has no fraction; give one for each of ${background.join(', ')}`);
    const fraction = readNumber(ctx, `${fractionsKey}.${name}`, object[name]);
    if (!(fraction >= 0 && fraction <= 1)) invalid(ctx, `${fractionsKey}.${name}`, `a fraction must lie in [0, 1], found ${fraction}`);
    sum += fraction;
    return fraction;
  });
  if (Math.abs(sum - 1) > 1e-6) invalid(ctx, fractionsKey, `the fractions sum to ${sum}; they must sum to 1`);
  return { kind, backgroundFractions: fractions };
}

/** Reads a non-empty list of fractions strictly between 0 and 1, such as working-point mistag rates. */
export function readFractionList(ctx: ValidationContext, key: string, value: unknown, what: string, example: string): number[] {
  if (!Array.isArray(value) || value.length === 0) invalid(ctx, key, `expected a list of ${what} between 0 and 1, such as ${example}`);
  return value.map((item, i) => {
    const fraction = readNumber(ctx, `${key}[${i}]`, item);
    if (!(fraction > 0 && fraction < 1)) invalid(ctx, `${key}[${i}]`, `${what} must lie strictly between 0 and 1, found ${fraction}`);
    return fraction;
  });
}

/** Reads the `evaluation` section: rejection_efficiencies, bootstrap, pt_bins, eta_bins, windows, use_weights. */
export function readEvaluationSection(ctx: ValidationContext, value: unknown): EvaluationSettings {
  const object = readObject(ctx, 'evaluation', value);
  checkKeys(ctx, 'evaluation', object, ['rejection_efficiencies', 'bootstrap', 'pt_bins', 'eta_bins', 'windows', 'use_weights']);
  const settings: EvaluationSettings = {
    rejectionEfficiencies:
      object.rejection_efficiencies === undefined
        ? [...DEFAULT_REJECTION_EFFICIENCIES]
        : readFractionList(ctx, 'evaluation.rejection_efficiencies', object.rejection_efficiencies, 'signal efficiencies', '[0.5, 0.7, 0.85]'),
    windows: object.windows === undefined ? [] : readWindows(ctx, object.windows),
    useWeights: object.use_weights === undefined ? false : readBoolean(ctx, 'evaluation.use_weights', object.use_weights),
  };
  if (object.bootstrap !== undefined) {
    const bootstrap = readObject(ctx, 'evaluation.bootstrap', object.bootstrap);
    checkKeys(ctx, 'evaluation.bootstrap', bootstrap, ['replicas', 'seed']);
    const replicas = readPositiveInteger(ctx, 'evaluation.bootstrap.replicas', bootstrap.replicas ?? 100);
    if (replicas > MAX_BOOTSTRAP_REPLICAS) {
      invalid(ctx, 'evaluation.bootstrap.replicas', `${replicas} replicas is more than the maximum of ${MAX_BOOTSTRAP_REPLICAS}`);
    }
    const seed = bootstrap.seed === undefined ? 1 : readNumber(ctx, 'evaluation.bootstrap.seed', bootstrap.seed);
    if (!Number.isInteger(seed)) invalid(ctx, 'evaluation.bootstrap.seed', `expected a whole number, found ${seed}`);
    settings.bootstrap = { replicas, seed };
  }
  if (object.pt_bins !== undefined) settings.ptBins = readEdges(ctx, 'evaluation.pt_bins', object.pt_bins);
  if (object.eta_bins !== undefined) settings.etaBins = readEdges(ctx, 'evaluation.eta_bins', object.eta_bins);
  return settings;
}

/** Returns the settings used when a config has no `evaluation` section. */
export function defaultEvaluationSettings(): EvaluationSettings {
  return { rejectionEfficiencies: [...DEFAULT_REJECTION_EFFICIENCIES], windows: [], useWeights: false };
}

function readWindows(ctx: ValidationContext, value: unknown): EvaluationWindow[] {
  if (!Array.isArray(value)) invalid(ctx, 'evaluation.windows', 'expected a list of windows such as { name: central, pt: [30, 100], abs_eta: [0, 1.5] }');
  const names = new Set<string>();
  return value.map((item, i) => {
    const key = `evaluation.windows[${i}]`;
    const object = readObject(ctx, key, item);
    checkKeys(ctx, key, object, ['name', 'pt', 'abs_eta']);
    const name = readString(ctx, `${key}.name`, object.name);
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) invalid(ctx, `${key}.name`, `'${name}' must start with a letter and contain only letters, digits and '_', because it names output files`);
    if (names.has(name)) invalid(ctx, `${key}.name`, `window '${name}' is defined twice`);
    names.add(name);
    const [ptMin, ptMax] = object.pt === undefined ? [0, Infinity] : readRange(ctx, `${key}.pt`, object.pt);
    const [absEtaMin, absEtaMax] = object.abs_eta === undefined ? [0, Infinity] : readRange(ctx, `${key}.abs_eta`, object.abs_eta);
    return { name, ptMin, ptMax, absEtaMin, absEtaMax };
  });
}

function readRange(ctx: ValidationContext, key: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) invalid(ctx, key, 'expected [minimum, maximum]; the minimum is included and the maximum excluded');
  const low = readNumber(ctx, `${key}[0]`, value[0]);
  const high = readNumber(ctx, `${key}[1]`, value[1]);
  if (!(low >= 0 && high > low)) invalid(ctx, key, `expected 0 <= minimum < maximum, found [${low}, ${high}]`);
  return [low, high];
}
