/** Efficiencies of a cut on a score, with their binomial statistical uncertainty. */
import { InputError } from '../errors.js';

/** A weighted fraction of jets passing a cut, with its uncertainty. */
export interface PassFraction {
  /** Weighted fraction W_pass / W, or NaN when W is 0 (no jets). */
  value: number;
  /** Binomial standard error; see passFractionAbove. NaN when value is NaN. */
  uncertainty: number;
}

/**
 * Returns the binomial fraction from weight sums: W_pass and W, and the sums of squared
 * weights of passing (S_pass) and failing (S_fail) jets. The uncertainty is the standard
 * error of the ratio estimator, sqrt((1 - e)^2 S_pass + e^2 S_fail) / W, which with unit
 * weights is sqrt(e (1 - e) / N).
 */
export function binomialFraction(passed: number, total: number, squaredPassed: number, squaredFailed: number): PassFraction {
  if (total === 0) return { value: NaN, uncertainty: NaN };
  const value = passed / total;
  const variance = ((1 - value) ** 2 * squaredPassed + value ** 2 * squaredFailed) / (total * total);
  return { value, uncertainty: Math.sqrt(variance) };
}

/**
 * Computes the weighted fraction of jets whose score is strictly greater than `threshold`.
 *
 * `weights` is [jets] or undefined for 1 each. Throws an InputError naming `name` when the
 * weights sum to a value that is not positive.
 */
export function passFractionAbove(
  scores: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  threshold: number,
  name: string,
): PassFraction {
  let passed = 0;
  let total = 0;
  let squaredPassed = 0;
  let squaredFailed = 0;
  for (let i = 0; i < scores.length; i++) {
    const weight = weights === undefined ? 1 : weights[i];
    total += weight;
    if (scores[i] > threshold) {
      passed += weight;
      squaredPassed += weight * weight;
    } else {
      squaredFailed += weight * weight;
    }
  }
  if (!(total > 0)) throw new InputError(`${name}: the weights sum to ${total}; the sum must be positive`);
  return binomialFraction(passed, total, squaredPassed, squaredFailed);
}
