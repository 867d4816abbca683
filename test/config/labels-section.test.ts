import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { repoRoot } from '../helpers/paths.js';

const nanoaodText = readFileSync(path.join(repoRoot(), 'configs', 'nanoaod_jets.yml'), 'utf8');

function withLabels(labels: string): string {
  const start = nanoaodText.indexOf('\nlabels:') + 1;
  const end = nanoaodText.indexOf('\nreweighting:') + 1;
  return nanoaodText.slice(0, start) + labels + '\n' + nanoaodText.slice(end);
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

test('rules with values and operators', () => {
  const config = parseConfig(
    withLabels(`labels:
  classes:
    b: { Jet_hadronFlavour: 5 }
    c: { Jet_hadronFlavour: [4] }
    light: { Jet_hadronFlavour: [0], Jet_partonFlavour: { ne: 21, ge: -5 } }
  priority: [b, c, light]`),
    '/tmp/test.yml',
  );
  assert.deepEqual(config.classes[0], { name: 'b', flags: [], conditions: [{ branch: 'Jet_hadronFlavour', operator: 'in', values: [5] }] });
  assert.deepEqual(config.classes[2].conditions, [
    { branch: 'Jet_hadronFlavour', operator: 'in', values: [0] },
    { branch: 'Jet_partonFlavour', operator: 'not_in', values: [21] },
    { branch: 'Jet_partonFlavour', operator: 'ge', values: [-5] },
  ]);
  assert.deepEqual(config.labelPriority, ['b', 'c', 'light']);
  assert.equal(config.processor, 'nanoaod');
  assert.deepEqual(config.spectators, ['Jet_btagDeepFlavB']);
});

test('unknown rule operator', () => {
  const error = configErrorOf(withLabels(`labels:
  classes:
    b: { Jet_hadronFlavour: { neq: 5 } }`));
  assert.equal(error.context.configKey, 'labels.classes.b.Jet_hadronFlavour.neq');
  assert.match(error.message, /Did you mean .*'ne'/);
});

test('comparison with two values', () => {
  const error = configErrorOf(withLabels(`labels:
  classes:
    b: { Jet_hadronFlavour: { lt: [4, 5] } }`));
  assert.equal(error.context.configKey, 'labels.classes.b.Jet_hadronFlavour.lt');
});

test('priority must list every class', () => {
  const error = configErrorOf(withLabels(`labels:
  classes:
    b: { Jet_hadronFlavour: 5 }
    c: { Jet_hadronFlavour: 4 }
    light: { Jet_hadronFlavour: 0 }
  priority: [b, light]`));
  assert.equal(error.context.configKey, 'labels.priority');
  assert.match(error.message, /missing: c/);
});

test('candidate group with counter and match', () => {
  const text = nanoaodText.replace('    match: { delta_r: 0.4', '    counter: nSV\n    match: { delta_r: 0.4');
  const error = configErrorOf(text);
  assert.equal(error.context.configKey, 'candidates[0]');
});

test('sort feature outside the group', () => {
  const error = configErrorOf(nanoaodText.replace('feature: SV_dxySig', 'feature: SV_x'));
  assert.equal(error.context.configKey, 'candidates[0].sort_by.feature');
});
