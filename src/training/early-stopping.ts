/** Early stopping on the validation loss, with patience and a minimum improvement. */

export interface EarlyStoppingState {
  /** Lowest validation loss that counted as an improvement. */
  bestLoss: number;
  /** Epochs since the last improvement. */
  epochsWithoutImprovement: number;
}

export function initialEarlyStoppingState(): EarlyStoppingState {
  return { bestLoss: Number.POSITIVE_INFINITY, epochsWithoutImprovement: 0 };
}

/**
 * Record the validation loss of one epoch and return true when training should stop: a loss
 * below `bestLoss − minDelta` is an improvement, and training stops after `patience` epochs
 * in a row without one. A patience of 0 never stops.
 */
export function updateEarlyStopping(state: EarlyStoppingState, loss: number, patience: number, minDelta: number): boolean {
  if (loss < state.bestLoss - minDelta) {
    state.bestLoss = loss;
    state.epochsWithoutImprovement = 0;
  } else {
    state.epochsWithoutImprovement += 1;
  }
  return patience > 0 && state.epochsWithoutImprovement >= patience;
}
