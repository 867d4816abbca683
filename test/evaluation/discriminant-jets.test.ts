import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultEvaluationSettings } from '../../src/config/evaluation-section.js';
import { ConfigError } from '../../src/errors.js';
import { buildDiscriminantJets } from '../../src/evaluation/discriminant-jets.js';
import { evaluateTagger } from '../../src/evaluation/evaluate.js';
import { computeRoc } from '../../src/evaluation/roc.js';

const CLASSES = ['b', 'c', 'light'];
// four jets: b, light, c, unknown
const labels = Int32Array.from([0, 2, 1, -1]);
const probabilities = new Float32Array([0.8, 0.1, 0.1, 0.2, 0.2, 0.6, 0.3, 0.5, 0.2, 0.4, 0.3, 0.3]);
const weights = Float64Array.from([2, 0.5, 1, 9]);
const pt = Float64Array.from([30, 40, 50, 60]);

test('reference tagger uses its stored score', () => {
  const [jets] = buildDiscriminantJets({ classNames: CLASSES, labels, pt }, [], [{ name: 'Stored', signal: ['b'], background: ['light', 'c'], scores: [0.9, 0.1, 0.4, 0.7] }], false);
  assert.equal(jets.kind, 'stored');
  assert.deepEqual([...jets.signal.scores], [0.9]);
  assert.deepEqual([...jets.background.scores], [0.1, 0.4]);
  assert.deepEqual([...(jets.background.pt ?? [])], [40, 50]);
  assert.equal(jets.signal.weights, undefined);
});

test('weights enter only when asked', () => {
  const spec = [{ name: 'BvsL', signal: ['b'], background: ['light'] }];
  const [unweighted] = buildDiscriminantJets({ classNames: CLASSES, labels, probabilities, weights }, spec, [], false);
  assert.equal(unweighted.signal.weights, undefined);
  const [weighted] = buildDiscriminantJets({ classNames: CLASSES, labels, probabilities, weights }, spec, [], true);
  assert.deepEqual([...(weighted.signal.weights ?? [])], [2]);
  assert.deepEqual([...(weighted.background.weights ?? [])], [0.5]);
  assert.throws(() => buildDiscriminantJets({ classNames: CLASSES, labels, probabilities }, spec, [], true), /use_weights is true but the input has no weight column/);
});

test('weighted evaluation equals weighted ROC', () => {
  const settings = { ...defaultEvaluationSettings(), useWeights: true };
  const spec = [{ name: 'BvsAll', signal: ['b'], background: ['c', 'light'] }];
  const [evaluation] = evaluateTagger({ classNames: CLASSES, labels, probabilities, weights }, { discriminants: spec, references: [], workingPoints: [0.5], settings });
  const expected = computeRoc([0.8], [0.2 / 1, 0.3 / 1], { signalWeights: [2], backgroundWeights: [0.5, 1] });
  assert.equal(evaluation.curve.auc, expected.auc);
  assert.equal(evaluation.curve.sumBackgroundWeights, 1.5);
});

test('name clashes and missing probabilities are rejected', () => {
  const spec = [{ name: 'BvsL', signal: ['b'], background: ['light'] }];
  assert.throws(
    () => buildDiscriminantJets({ classNames: CLASSES, labels, probabilities }, spec, [{ name: 'BvsL', signal: ['b'], background: ['light'], scores: [0, 0, 0, 0] }], false),
    /'BvsL' is defined twice/,
  );
  assert.throws(() => buildDiscriminantJets({ classNames: CLASSES, labels }, spec, [], false), (error: unknown) => error instanceof ConfigError && /needs class probabilities/.test(error.message));
  assert.throws(
    () => buildDiscriminantJets({ classNames: CLASSES, labels }, [], [{ name: 'R', signal: ['b'], background: ['lihgt'], scores: [0, 0, 0, 0] }], false),
    /reference tagger 'R' names background class 'lihgt'.*Did you mean 'light'\?/,
  );
});
