/** Synthetic model outputs for the evaluation report tests. */
import { Random } from '../../src/random.js';

export const CLASSES = ['b', 'bb', 'lepb', 'c', 'uds', 'g'];

/**
 * Returns softmax probabilities, float32 [jets, 6 classes], whose logit for the true class
 * is raised by `separation`, with labels int32 [jets] and every 50th label -1 (unknown).
 */
export function syntheticOutputs(numJets: number, seed: number, separation = 1.5): { probabilities: Float32Array; labels: Int32Array } {
  const random = new Random(seed);
  const probabilities = new Float32Array(numJets * CLASSES.length);
  const labels = new Int32Array(numJets);
  for (let jet = 0; jet < numJets; jet++) {
    const label = random.integer(CLASSES.length);
    labels[jet] = jet % 50 === 49 ? -1 : label;
    const logits = CLASSES.map((_, k) => random.normal() + (k === label ? separation : 0));
    const max = Math.max(...logits);
    const exps = logits.map((logit) => Math.exp(logit - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    exps.forEach((value, k) => (probabilities[jet * CLASSES.length + k] = value / sum));
  }
  return { probabilities, labels };
}
