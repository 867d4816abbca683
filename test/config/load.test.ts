import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { repoRoot } from '../helpers/paths.js';

const shippedConfig = path.join(repoRoot(), 'configs', 'nanox_deepjet.yml');
const shippedText = readFileSync(shippedConfig, 'utf8');

function configErrorOf(text: string): ConfigError {
  try {
    parseConfig(text, '/tmp/test.yml');
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

test('shipped nanox config loads', async () => {
  const config = await loadConfig(shippedConfig);
  assert.equal(config.name, 'nanox_deepjet');
  assert.equal(config.tree, 'jets');
  assert.equal(config.globalFeatures.length, 15);
  assert.deepEqual(
    config.candidates.map((g) => [g.name, g.counter, g.maxCandidates, g.features.length]),
    [
      ['cpf', 'ncpf', 25, 16],
      ['npf', 'nnpf', 25, 6],
      ['sv', 'nsv', 4, 12],
    ],
  );
  assert.deepEqual(config.classes.map((c) => c.name), ['b', 'bb', 'lepb', 'c', 'uds', 'g']);
  assert.deepEqual(config.classes.find((c) => c.name === 'lepb')?.flags, ['jetorigin_isLeptonic_B', 'jetorigin_isLeptonic_C']);
  assert.deepEqual(config.drop.map((c) => c.name), ['llp', 'pileup', 'undefined']);
  assert.equal(config.reweighting.referenceClass, 'b');
  assert.equal(config.kinematics.pt.log10, true);
  assert.equal(config.inputs.dataDir, path.resolve(repoRoot(), '..', 'shared', 'data', 'jets-nanox'));
  assert.deepEqual(config.discriminants.map((d) => d.name), ['BvsL', 'CvsL', 'CvsB']);
  assert.deepEqual(config.workingPoints, [0.1, 0.01, 0.001]);
});

test('unknown top-level key names the key and suggests one', () => {
  const error = configErrorOf(`${shippedText}\ndiscriminant: {}\n`);
  assert.equal(error.context.configKey, 'discriminant');
  assert.match(error.message, /unknown key 'discriminant'/);
  assert.match(error.message, /Did you mean 'discriminants'/);
});

test('unknown nested key gives its path', () => {
  const error = configErrorOf(shippedText.replace('max_candidates: 4', 'max_candidate: 4'));
  assert.equal(error.context.configKey, 'candidates[2].max_candidate');
});

test('missing required key is named', () => {
  const error = configErrorOf(shippedText.replace(/^tree: jets$/m, ''));
  assert.equal(error.context.configKey, 'tree');
  assert.match(error.message, /missing required key 'tree'/);
});

test('wrong value type names the key', () => {
  const error = configErrorOf(shippedText.replace('max_candidates: 25', 'max_candidates: many'));
  assert.equal(error.context.configKey, 'candidates[0].max_candidates');
  assert.match(error.message, /positive integer/);
});

test('discriminant with unknown class is rejected', () => {
  const error = configErrorOf(shippedText.replace('CvsL: { signal: [c]', 'CvsL: { signal: [cc]'));
  assert.equal(error.context.configKey, 'discriminants.CvsL.signal');
  assert.match(error.message, /'cc' is not a class/);
});

test('decreasing bin edges are rejected', () => {
  const error = configErrorOf(shippedText.replace('pt_bins: [20, 30,', 'pt_bins: [20, 10,'));
  assert.equal(error.context.configKey, 'reweighting.pt_bins');
});

test('invalid YAML names the file', () => {
  const error = configErrorOf('name: [unclosed\n');
  assert.match(error.message, /\/tmp\/test.yml is not valid YAML/);
});

test('missing config file is a ConfigError', async () => {
  await assert.rejects(loadConfig('/nonexistent/config.yml'), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /\/nonexistent\/config.yml/);
    return true;
  });
});
