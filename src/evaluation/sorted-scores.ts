/** Scores sorted once, with their weights carried along, for ROC curves and working points. */
import { InputError } from '../errors.js';

/** Scores in increasing order and the weights of the same jets (all 1 when none were given). */
export interface SortedScores {
  scores: Float64Array;
  weights: Float64Array;
  /** Sum of the weights, in double precision. */
  sumWeights: number;
}

/**
 * Sorts scores in increasing order, permuting the weights with them.
 *
 * `description` names the jets in error messages ("signal jets of BvsL"). Throws an InputError
 * for a NaN score, a non-finite weight, or weights of another length than the scores.
 * Cost: one native typed-array sort without weights, an index sort with them.
 */
export function sortScores(
  scores: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  description: string,
): SortedScores {
  const count = scores.length;
  for (let i = 0; i < count; i++) {
    if (Number.isNaN(scores[i])) throw new InputError(`score of ${description} number ${i} is NaN`);
  }

  if (weights === undefined) {
    const sorted = Float64Array.from(scores).sort();
    return { scores: sorted, weights: new Float64Array(count).fill(1), sumWeights: count };
  }

  if (weights.length !== count) {
    throw new InputError(`${description}: ${count} scores but ${weights.length} weights`);
  }
  for (let i = 0; i < count; i++) {
    if (!Number.isFinite(weights[i])) throw new InputError(`weight of ${description} number ${i} is ${weights[i]}; weights must be finite`);
  }
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((a, b) => compareNumbers(scores[a], scores[b]));

  const sortedScores = new Float64Array(count);
  const sortedWeights = new Float64Array(count);
  let sumWeights = 0;
  for (let k = 0; k < count; k++) {
    sortedScores[k] = scores[order[k]];
    sortedWeights[k] = weights[order[k]];
    sumWeights += sortedWeights[k];
  }
  return { scores: sortedScores, weights: sortedWeights, sumWeights };
}

function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
