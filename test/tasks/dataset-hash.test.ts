import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { createTaskRegistry } from '../../src/tasks/register-builtins.js';
import { computeTaskHash } from '../../src/tasks/task.js';
import { repoRoot } from '../helpers/paths.js';

const configFile = path.join(repoRoot(), 'configs', 'nanoaod_jets.yml');
const baseText = readFileSync(configFile, 'utf8');
const definition = createTaskRegistry().get('DatasetConstruction');
const parameters = { sample: 'train', seed: 1 };

function hashWith(extra: string): string {
  return computeTaskHash(definition, parameters, parseConfig(`${baseText}\n${extra}\n`, configFile), null, {});
}

test('dataset hash follows every section that changes the jets', () => {
  const base = hashWith('');
  const changes = {
    selection: 'selection: "Jet_pt > 100"',
    derived_features: 'derived_features: { pt_over_mass: "Jet_pt / Jet_mass" }',
    non_finite: 'non_finite: { global: drop }',
    processes: 'processes:\n  all: { files: ["*.root"], weight: 0.5 }',
  };
  for (const [section, text] of Object.entries(changes)) {
    assert.notEqual(hashWith(text), base, `changing ${section} kept the dataset hash`);
  }
});

test('dataset hash ignores model options', () => {
  assert.equal(hashWith('model_options: { mlp: { dropout: 0.1 } }'), hashWith(''));
});
