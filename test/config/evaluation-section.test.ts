import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { repoRoot } from '../helpers/paths.js';

const shippedText = readFileSync(path.join(repoRoot(), 'configs', 'nanox_deepjet.yml'), 'utf8');

function configErrorOf(text: string): ConfigError {
  try {
    parseConfig(text, '/tmp/test.yml');
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

test('shipped discriminants stay plain ratios', () => {
  const config = parseConfig(shippedText, '/tmp/test.yml');
  // no kind key at all, so that the hashes of existing outputs do not change
  assert.deepEqual(config.discriminants[0], { name: 'BvsL', signal: ['b', 'bb', 'lepb'], background: ['uds', 'g'] });
  assert.equal(config.evaluation, undefined);
});

test('working points default to five targets', () => {
  const config = parseConfig(shippedText.replace('working_points: [0.1, 0.01, 0.001]\n', ''), '/tmp/test.yml');
  assert.deepEqual(config.workingPoints, [0.1, 0.05, 0.01, 0.005, 0.001]);
});

test('log-likelihood discriminant and evaluation section', () => {
  const text = shippedText.replace(
    '  CvsB: { signal: [c], background: [b, bb, lepb] }\n',
    '  CvsB: { signal: [c], background: [b, bb, lepb] }\n' +
      '  BvsAll_llr:\n    signal: [b, bb, lepb]\n    background: [c, uds, g]\n    type: log_likelihood_ratio\n' +
      '    background_fractions: { c: 0.1, uds: 0.6, g: 0.3 }\n' +
      'evaluation:\n  rejection_efficiencies: [0.6, 0.77]\n  bootstrap: { replicas: 20, seed: 3 }\n' +
      '  windows:\n    - { name: central, pt: [30, 100], abs_eta: [0, 1.5] }\n',
  );
  const config = parseConfig(text, '/tmp/test.yml');
  const llr = config.discriminants.find((d) => d.name === 'BvsAll_llr');
  assert.equal(llr?.kind, 'log_likelihood_ratio');
  assert.deepEqual(llr?.backgroundFractions, [0.1, 0.6, 0.3]);
  assert.deepEqual(config.evaluation, {
    rejectionEfficiencies: [0.6, 0.77],
    bootstrap: { replicas: 20, seed: 3 },
    windows: [{ name: 'central', ptMin: 30, ptMax: 100, absEtaMin: 0, absEtaMax: 1.5 }],
    useWeights: false,
  });
});

test('background fractions must cover the background', () => {
  const text = shippedText.replace(
    '  CvsB: { signal: [c], background: [b, bb, lepb] }\n',
    '  CvsB: { signal: [c], background: [b, bb, lepb], type: log_likelihood_ratio, background_fractions: { b: 0.5, bb: 0.5 } }\n',
  );
  const error = configErrorOf(text);
  assert.equal(error.context.configKey, 'discriminants.CvsB.background_fractions');
  assert.match(error.message, /background class 'lepb' has no fraction; give one for each of b, bb, lepb/);
});

test('background fractions must sum to one', () => {
  const text = shippedText.replace(
    '  CvsB: { signal: [c], background: [b, bb, lepb] }\n',
    '  CvsB: { signal: [c], background: [b, bb, lepb], type: log_likelihood_ratio, background_fractions: { b: 0.5, bb: 0.5, lepb: 0.5 } }\n',
  );
  assert.match(configErrorOf(text).message, /the fractions sum to 1.5; they must sum to 1/);
});

test('unknown evaluation key is named', () => {
  const error = configErrorOf(`${shippedText}evaluation: { bootstraps: { replicas: 5 } }\n`);
  assert.equal(error.context.configKey, 'evaluation.bootstraps');
  assert.match(error.message, /Did you mean 'bootstrap'\?/);
});
