import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { repoRoot } from '../helpers/paths.js';

const nanoaodText = readFileSync(path.join(repoRoot(), 'configs', 'nanoaod_jets.yml'), 'utf8');

function withExtra(extra: string): string {
  return `${nanoaodText}\n${extra}\n`;
}

function configErrorOf(text: string): ConfigError {
  try {
    parseConfig(text, '/tmp/test.yml');
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

test('selection, derived features and policies', () => {
  const config = parseConfig(
    withExtra(`selection: "Jet_jetId >= 2 && abs(Jet_eta) < 2.4"
derived_features:
  pt_over_mass: Jet_pt / Jet_mass
non_finite:
  global: drop
  sv: { replace: -1 }
processes:
  tth: { files: [ttH_*.root], weight: 0.5, selection: "Jet_pt > 30" }
  dy: { files: ["DY*.root"] }`),
    '/tmp/test.yml',
  );
  assert.equal(config.selection, 'Jet_jetId >= 2 && abs(Jet_eta) < 2.4');
  assert.deepEqual(config.derivedFeatures, { pt_over_mass: 'Jet_pt / Jet_mass' });
  assert.deepEqual(config.nonFinite, { global: { action: 'drop' }, sv: { action: 'replace', value: -1 } });
  assert.deepEqual(config.processes, [
    { name: 'tth', patterns: ['ttH_*.root'], weight: 0.5, selection: 'Jet_pt > 30' },
    { name: 'dy', patterns: ['DY*.root'], weight: 1 },
  ]);
});

test('selection syntax error names the column', () => {
  const error = configErrorOf(withExtra('selection: "Jet_pt > > 3"'));
  assert.equal(error.context.configKey, 'selection');
  assert.match(error.message, /column 10/);
});

test('derived feature using another', () => {
  const error = configErrorOf(withExtra('derived_features:\n  a: Jet_pt * 2\n  b: a + 1'));
  assert.equal(error.context.configKey, 'derived_features.b');
});

test('non_finite of an unknown array', () => {
  const error = configErrorOf(withExtra('non_finite:\n  svs: drop'));
  assert.equal(error.context.configKey, 'non_finite.svs');
  assert.match(error.message, /'sv'/);
});

test('process weight above one', () => {
  const error = configErrorOf(withExtra('processes:\n  tth: { files: [a.root], weight: 2 }'));
  assert.equal(error.context.configKey, 'processes.tth.weight');
});

test('flat reweighting needs no reference class', () => {
  const text = nanoaodText.replace('  reference_class: b\n', '  method: flat\n');
  const config = parseConfig(text, '/tmp/test.yml');
  assert.equal(config.reweighting.method, 'flat');
  assert.equal(config.reweighting.referenceClass, undefined);
  const error = configErrorOf(nanoaodText.replace('  reference_class: b\n', '  method: uniform\n'));
  assert.equal(error.context.configKey, 'reweighting.method');
});

test('process evaluation selection', () => {
  const config = parseConfig(withExtra('processes:\n  tth: { files: ["*.root"], evaluation_selection: "pt > 30 && abs(eta) < 2.4" }'), '/tmp/test.yml');
  assert.equal(config.processes?.[0].evaluationSelection, 'pt > 30 && abs(eta) < 2.4');
  const error = configErrorOf(withExtra('processes:\n  tth: { files: ["*.root"], evaluation_selection: "pt >" }'));
  assert.equal(error.context.configKey, 'processes.tth.evaluation_selection');
});
