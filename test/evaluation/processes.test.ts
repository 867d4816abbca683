import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { evaluateProcesses, maskIndices, processCutMask, selectEvaluationJets, type EvaluationJets, type ProcessColumn } from '../../src/evaluation/processes.js';
import { Random } from '../../src/random.js';

/** AUC by counting pairs: P(signal > background) + P(equal) / 2. */
function bruteForceAuc(signal: number[], background: number[]): number {
  let sum = 0;
  for (const s of signal) {
    for (const b of background) {
      if (s > b) sum += 1;
      else if (s === b) sum += 0.5;
    }
  }
  return sum / (signal.length * background.length);
}

/** Two classes (sig, bkg), three processes; the probability of sig is rounded to 0.05 so that ties occur. */
function syntheticJets(numJets: number): { jets: EvaluationJets; processes: ProcessColumn; pt: Float64Array; eta: Float64Array } {
  const random = new Random(11);
  const labels = new Int32Array(numJets);
  const probabilities = new Float32Array(numJets * 2);
  const pt = new Float64Array(numJets);
  const eta = new Float64Array(numJets);
  const index = new Int32Array(numJets);
  const reference = new Float64Array(numJets);
  for (let i = 0; i < numJets; i++) {
    labels[i] = random.uniform() < 0.3 ? 0 : 1;
    index[i] = random.integer(3);
    const p = Math.round(Math.min(1, Math.max(0, (labels[i] === 0 ? 0.65 : 0.4) + 0.25 * random.normal())) * 20) / 20;
    probabilities[2 * i] = p;
    probabilities[2 * i + 1] = 1 - p;
    pt[i] = 20 + 200 * random.uniform();
    eta[i] = 5 * random.uniform() - 2.5;
    reference[i] = (labels[i] === 0 ? 1 : 0) + random.normal();
  }
  return {
    jets: {
      data: { classNames: ['sig', 'bkg'], labels, probabilities, pt, eta },
      references: [{ name: 'Reference', signal: ['sig'], background: ['bkg'], scores: reference }],
    },
    processes: { names: ['ttbar', 'qcd', 'zjets'], index, selections: { ttbar: 'pt > 30', qcd: 'pt > 100 && abs(eta) < 1.5' } },
    pt,
    eta,
  };
}

test('cut mask applies each process cut', () => {
  const { processes, pt, eta } = syntheticJets(400);
  const columns = new Map<string, ArrayLike<number>>([['pt', pt], ['eta', eta]]);
  const mask = processCutMask(processes, (name) => columns.get(name), ['pt', 'eta']);
  for (let i = 0; i < 400; i++) {
    const process = processes.names[processes.index[i]];
    let expected = true;
    if (process === 'ttbar') expected = pt[i] > 30;
    if (process === 'qcd') expected = pt[i] > 100 && Math.abs(eta[i]) < 1.5;
    assert.equal(mask[i], expected ? 1 : 0, `jet ${i} of ${process}`);
  }
});

test('cut on unknown column names key', () => {
  const { processes } = syntheticJets(10);
  const bad = { ...processes, selections: { zjets: 'Jet_pt > 30' } };
  assert.throws(
    () => processCutMask(bad, () => undefined, ['pt', 'eta']),
    (error: unknown) => error instanceof ConfigError && error.context.configKey === 'processes.zjets.evaluation_selection' && /unknown column 'Jet_pt'/.test(error.message),
  );
});

test('process AUC equals pair count', () => {
  const { jets, processes, pt, eta } = syntheticJets(600);
  const columns = new Map<string, ArrayLike<number>>([['pt', pt], ['eta', eta]]);
  const mask = processCutMask(processes, (name) => columns.get(name), ['pt', 'eta']);
  const results = evaluateProcesses(jets, [{ name: 'SvsB', signal: ['sig'], background: ['bkg'] }], processes, mask, false);
  assert.deepEqual(results.map((r) => r.process), ['ttbar', 'qcd', 'zjets']);

  const probabilities = jets.data.probabilities!;
  const reference = jets.references[0].scores;
  results.forEach((result, k) => {
    const kept = Array.from({ length: 600 }, (_, i) => i).filter((i) => processes.index[i] === k && mask[i] === 1);
    assert.equal(result.numJets, kept.length);
    assert.equal(result.numJetsBeforeCut, processes.index.filter((index) => index === k).length);
    const signal = kept.filter((i) => jets.data.labels[i] === 0);
    const background = kept.filter((i) => jets.data.labels[i] === 1);
    // The ratio discriminant p(sig) / (p(sig) + p(bkg)) is p(sig) here, because the two sum to 1.
    const discriminant = (i: number): number => probabilities[2 * i] / (probabilities[2 * i] + probabilities[2 * i + 1]);
    const model = result.rocs.find((r) => r.name === 'SvsB');
    const stored = result.rocs.find((r) => r.name === 'Reference');
    assert.ok(model?.curve, `process ${result.process} has no model curve`);
    assert.ok(stored?.curve, `process ${result.process} has no reference curve`);
    assert.equal(model.numSignal, signal.length);
    assert.equal(model.numBackground, background.length);
    assert.ok(Math.abs(model.curve.auc - bruteForceAuc(signal.map(discriminant), background.map(discriminant))) < 1e-12);
    assert.ok(Math.abs(stored.curve.auc - bruteForceAuc(signal.map((i) => reference[i]), background.map((i) => reference[i]))) < 1e-12);
    assert.equal(stored.kind, 'stored');
  });
});

test('process without jets gets note', () => {
  const { jets, processes } = syntheticJets(50);
  const onlyTwo = { ...processes, names: [...processes.names, 'empty'], selections: {} };
  const mask = new Uint8Array(50).fill(1);
  const results = evaluateProcesses(jets, [{ name: 'SvsB', signal: ['sig'], background: ['bkg'] }], onlyTwo, mask, false);
  const empty = results[3].rocs[0];
  assert.equal(empty.curve, undefined);
  assert.match(empty.note ?? '', /process 'empty' has 0 signal and 0 background jets/);
});

test('selected jets keep their rows', () => {
  const { jets } = syntheticJets(20);
  const indices = Int32Array.from([3, 17, 4]);
  const subset = selectEvaluationJets(jets, indices);
  assert.deepEqual(Array.from(subset.data.labels), [3, 17, 4].map((i) => jets.data.labels[i]));
  assert.deepEqual(Array.from(subset.data.probabilities!), [3, 17, 4].flatMap((i) => [jets.data.probabilities![2 * i], jets.data.probabilities![2 * i + 1]]));
  assert.deepEqual(Array.from(subset.references[0].scores), [3, 17, 4].map((i) => jets.references[0].scores[i]));
  assert.deepEqual(Array.from(maskIndices(Uint8Array.from([0, 1, 1, 0, 1]))), [1, 2, 4]);
});
