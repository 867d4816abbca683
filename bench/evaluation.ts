/**
 * Timing of the full evaluation (discriminant, ROC curve, AUC, working points, rejection
 * table) of 1e5, 1e6 and 1e7 synthetic jets, and a check that the time grows as n log n.
 * Run: `node dist/bench/evaluation.js` after `npx tsc -p .`; pass sizes as arguments to
 * override, such as `node dist/bench/evaluation.js 100000 1000000`.
 *
 * Jets: three classes (b, c, light) drawn uniformly, with softmax probabilities whose true
 * class logit is raised by 1.5; discriminant BvsL = P(b) / (P(b) + P(light)); working
 * points at 10 %, 5 %, 1 %, 0.5 % and 0.1 % mistag.
 */
import { defaultEvaluationSettings, DEFAULT_WORKING_POINTS } from '../src/config/evaluation-section.js';
import { evaluateTagger } from '../src/evaluation/evaluate.js';
import { Random } from '../src/random.js';

const CLASSES = ['b', 'c', 'light'];

function syntheticJets(numJets: number, seed: number): { labels: Int32Array; probabilities: Float32Array } {
  const random = new Random(seed);
  const labels = new Int32Array(numJets);
  const probabilities = new Float32Array(numJets * CLASSES.length);
  const logits = new Float64Array(CLASSES.length);
  for (let jet = 0; jet < numJets; jet++) {
    const label = random.integer(CLASSES.length);
    labels[jet] = label;
    let sum = 0;
    for (let k = 0; k < CLASSES.length; k++) {
      logits[k] = Math.exp(random.normal() + (k === label ? 1.5 : 0));
      sum += logits[k];
    }
    for (let k = 0; k < CLASSES.length; k++) probabilities[jet * CLASSES.length + k] = logits[k] / sum;
  }
  return { labels, probabilities };
}

function line(name: string, value: string): void {
  process.stdout.write(`${name.padEnd(48)} ${value}\n`);
}

const sizes = process.argv.slice(2).map(Number);
const numJetsList = sizes.length > 0 ? sizes : [1e5, 1e6, 1e7];
function evaluate(labels: Int32Array, probabilities: Float32Array): ReturnType<typeof evaluateTagger>[number] {
  return evaluateTagger(
    { classNames: CLASSES, labels, probabilities },
    {
      discriminants: [{ name: 'BvsL', signal: ['b'], background: ['light'] }],
      references: [],
      workingPoints: DEFAULT_WORKING_POINTS,
      settings: defaultEvaluationSettings(),
    },
  )[0];
}

// a first, untimed run compiles the hot loops, so that the smallest size is not timed cold
const warmUp = syntheticJets(20000, 3);
evaluate(warmUp.labels, warmUp.probabilities);

const results: Array<{ numJets: number; seconds: number }> = [];
for (const numJets of numJetsList) {
  const { labels, probabilities } = syntheticJets(numJets, 7);
  const start = performance.now();
  const evaluation = evaluate(labels, probabilities);
  const seconds = (performance.now() - start) / 1000;
  results.push({ numJets, seconds });
  const efficiency = evaluation.workingPoints.map((wp) => wp.signalEfficiency.toFixed(3)).join('/');
  line(`evaluation of ${numJets.toExponential(0)} jets (BvsL, 5 WPs)`, `${seconds.toFixed(2)} s, ${(numJets / seconds / 1e6).toFixed(2)} M jets/s, AUC ${evaluation.curve.auc.toFixed(4)}, eff ${efficiency}`);
}

// time / (n log2 n) of each size over that of the previous size: about 1 for n log n growth
const perUnit = (r: { numJets: number; seconds: number }): number => r.seconds / (r.numJets * Math.log2(r.numJets));
for (let k = 1; k < results.length; k++) {
  const ratio = perUnit(results[k]) / perUnit(results[k - 1]);
  const verdict = ratio < 1.5 ? 'consistent with n log n' : 'grows faster than n log n';
  line(`  scaling ${results[k - 1].numJets.toExponential(0)} -> ${results[k].numJets.toExponential(0)}`, `time/(n log n) ratio ${ratio.toFixed(2)} (${verdict})`);
}
