/** The columns that evaluation reads, and the scoring of every configured discriminant on them. */
import type { DiscriminantSpec } from '../config/types.js';
import { ConfigError, InputError } from '../errors.js';
import { resolveDiscriminant, scoreDiscriminant, type DiscriminantScores } from './discriminants.js';

/** Model outputs and truth of one evaluated sample. */
export interface EvaluationInput {
  /** Class probabilities, float32 [jets, classes], rows summing to 1. */
  probabilities: Float32Array;
  /** True class index per jet, int32 [jets]; -1 marks an unknown class, ignored everywhere. */
  labels: Int32Array;
  /** Class names in the order of the probability columns, such as b, bb, lepb, c, uds, g. */
  classNames: readonly string[];
  /** Optional per-jet weights, float32 [jets]. */
  weights?: Float32Array;
  /** Model or sample name put before the discriminant name in legends, such as "DeepJet". */
  label?: string;
}

/**
 * Resolves every discriminant against the class names, then scores each one.
 *
 * All names are checked before any scoring, so a configuration error costs no work.
 * Throws a ConfigError for unknown classes or duplicate discriminant names and an
 * InputError when the column lengths disagree.
 */
export function scoreDiscriminants(input: EvaluationInput, discriminants: readonly DiscriminantSpec[]): DiscriminantScores[] {
  const numClasses = input.classNames.length;
  if (numClasses === 0) throw new InputError('evaluation input has no class names');
  if (input.probabilities.length !== input.labels.length * numClasses) {
    throw new InputError(
      `probabilities have ${input.probabilities.length} values but ${input.labels.length} labelled jets ` +
        `x ${numClasses} classes (${input.classNames.join(', ')}) need ${input.labels.length * numClasses}`,
    );
  }

  const seen = new Set<string>();
  for (const spec of discriminants) {
    if (seen.has(spec.name)) {
      throw new ConfigError(`discriminant '${spec.name}' is defined twice; give each discriminant its own name`, {
        configKey: 'discriminants',
      });
    }
    seen.add(spec.name);
  }
  const resolved = discriminants.map((spec) => resolveDiscriminant(spec, input.classNames));
  return resolved.map((discriminant) =>
    scoreDiscriminant(input.probabilities, input.labels, numClasses, discriminant, input.weights),
  );
}

/** Returns the legend text of a discriminant: "DeepJet BvsL", or "BvsL" without a model label. */
export function legendLabel(input: { label?: string }, discriminantName: string): string {
  return input.label ? `${input.label} ${discriminantName}` : discriminantName;
}

/**
 * Returns a file-name part for a discriminant name: characters other than letters, digits,
 * '.', '_' and '-' become '_'.
 */
export function fileSafeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
