import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { repoRoot } from '../helpers/paths.js';

const nanoaodText = readFileSync(path.join(repoRoot(), 'configs', 'nanoaod_jets.yml'), 'utf8');
const REFERENCE_LINE = '  DeepFlavB: { score: Jet_btagDeepFlavB, signal: [b], background: [light] }';

function configErrorOf(text: string): ConfigError {
  try {
    parseConfig(text, '/tmp/test.yml');
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

test('nanoaod config names DeepFlavB', () => {
  assert.ok(nanoaodText.includes(REFERENCE_LINE), 'configs/nanoaod_jets.yml no longer has the DeepFlavB line this test edits');
  const config = parseConfig(nanoaodText, '/tmp/test.yml');
  assert.deepEqual(config.referenceTaggers, [{ name: 'DeepFlavB', spectator: 'Jet_btagDeepFlavB', signal: ['b'], background: ['light'] }]);
});

test('score must be a spectator', () => {
  const error = configErrorOf(nanoaodText.replace(REFERENCE_LINE, '  DeepFlavB: { score: Jet_btagDeepFlavC, signal: [b], background: [light] }'));
  assert.equal(error.context.configKey, 'reference_taggers.DeepFlavB.score');
  assert.match(error.message, /Jet_btagDeepFlavB/);
});

test('classes must exist and differ', () => {
  const unknown = configErrorOf(nanoaodText.replace(REFERENCE_LINE, '  DeepFlavB: { score: Jet_btagDeepFlavB, signal: [bb], background: [light] }'));
  assert.equal(unknown.context.configKey, 'reference_taggers.DeepFlavB.signal');
  const both = configErrorOf(nanoaodText.replace(REFERENCE_LINE, '  DeepFlavB: { score: Jet_btagDeepFlavB, signal: [b], background: [b, light] }'));
  assert.equal(both.context.configKey, 'reference_taggers.DeepFlavB.background');
  const extraKey = configErrorOf(nanoaodText.replace(REFERENCE_LINE, '  DeepFlavB: { score: Jet_btagDeepFlavB, signal: [b], background: [light], kind: ratio }'));
  assert.match(extraKey.context.configKey ?? '', /reference_taggers\.DeepFlavB/);
});
