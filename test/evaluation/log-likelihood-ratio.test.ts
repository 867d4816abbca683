import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { computeDiscriminant, LOG_LIKELIHOOD_EPSILON, resolveDiscriminant } from '../../src/evaluation/discriminants.js';

const CLASSES = ['b', 'c', 'light'];

test('log-likelihood ratio matches DL1r formula', () => {
  const probabilities = new Float32Array([0.7, 0.2, 0.1, 0.05, 0.15, 0.8, 0.3, 0.3, 0.4]);
  const discriminant = resolveDiscriminant(
    { name: 'DL1r', signal: ['b'], background: ['c', 'light'], kind: 'log_likelihood_ratio', backgroundFractions: [0.018, 0.982] },
    CLASSES,
  );
  const { scores, numZeroDenominator } = computeDiscriminant(probabilities, 3, discriminant);
  for (let jet = 0; jet < 3; jet++) {
    const [pb, pc, pu] = [probabilities[3 * jet], probabilities[3 * jet + 1], probabilities[3 * jet + 2]];
    const expected = Math.log((pb + LOG_LIKELIHOOD_EPSILON) / (0.018 * pc + 0.982 * pu + LOG_LIKELIHOOD_EPSILON));
    assert.ok(Math.abs(scores[jet] - expected) < 1e-12, `jet ${jet}: ${scores[jet]} vs ${expected}`);
  }
  assert.equal(numZeroDenominator, 0);
});

test('log-likelihood ratio defaults to equal fractions', () => {
  const discriminant = resolveDiscriminant({ name: 'D', signal: ['b'], background: ['c', 'light'], kind: 'log_likelihood_ratio' }, CLASSES);
  assert.deepEqual([...(discriminant.backgroundFractions ?? [])], [0.5, 0.5]);
  const { scores } = computeDiscriminant(new Float32Array([0.5, 0.25, 0.25]), 3, discriminant);
  assert.ok(Math.abs(scores[0] - Math.log(2)) < 1e-9);
});

test('log-likelihood ratio is finite at zero probabilities', () => {
  const discriminant = resolveDiscriminant({ name: 'D', signal: ['b'], background: ['light'], kind: 'log_likelihood_ratio' }, CLASSES);
  const { scores, numZeroDenominator } = computeDiscriminant(new Float32Array([1, 0, 0, 0, 0, 1, 0, 1, 0]), 3, discriminant);
  assert.ok(Math.abs(scores[0] - Math.log(1 / LOG_LIKELIHOOD_EPSILON)) < 1e-6);
  assert.ok(Math.abs(scores[1] + Math.log(1 / LOG_LIKELIHOOD_EPSILON)) < 1e-6);
  // b and light both 0: ln(ε / ε) = 0, counted
  assert.equal(scores[2], 0);
  assert.equal(numZeroDenominator, 1);
});

test('ratio discriminant keeps its kind', () => {
  const discriminant = resolveDiscriminant({ name: 'BvsL', signal: ['b'], background: ['light'] }, CLASSES);
  assert.equal(discriminant.kind, 'ratio');
  assert.equal(discriminant.backgroundFractions, undefined);
});

test('invalid background fractions are rejected', () => {
  const cases: Array<[number[] | undefined, 'ratio' | 'log_likelihood_ratio', RegExp]> = [
    [[0.5], 'log_likelihood_ratio', /has 1 background fractions for 2 background classes \(c, light\)/],
    [[0.5, 0.6], 'log_likelihood_ratio', /background fractions summing to 1.1; they must sum to 1/],
    [[-0.5, 1.5], 'log_likelihood_ratio', /background fraction -0.5; fractions must lie in \[0, 1\]/],
    [[0.5, 0.5], 'ratio', /has background fractions but type ratio/],
  ];
  for (const [fractions, kind, message] of cases) {
    assert.throws(
      () => resolveDiscriminant({ name: 'D', signal: ['b'], background: ['c', 'light'], kind, backgroundFractions: fractions }, CLASSES),
      (error: unknown) => error instanceof ConfigError && message.test(error.message),
      String(message),
    );
  }
});
