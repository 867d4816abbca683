import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { checkEvaluationSelections } from '../../src/tasks/builtin/chain-evaluation.js';
import { repoRoot } from '../helpers/paths.js';

const configFile = path.join(repoRoot(), 'configs', 'nanoaod_jets.yml');

function configWithCut(cut: string): ReturnType<typeof parseConfig> {
  const text = readFileSync(configFile, 'utf8') + `\nprocesses:\n  all: { files: ["*.root"], evaluation_selection: "${cut}" }\n`;
  return parseConfig(text, configFile);
}

test('evaluation cut on a prediction column passes', () => {
  assert.doesNotThrow(() => checkEvaluationSelections(configWithCut('pt > 30 && abs(eta) < 2.4 && Jet_btagDeepFlavB >= 0')));
});

test('evaluation cut on a missing column fails early', () => {
  assert.throws(
    () => checkEvaluationSelections(configWithCut('Jet_pt > 30')),
    (error: Error) =>
      error instanceof ConfigError && /'Jet_pt'/.test(error.message) && /available columns: pt, eta/.test(error.message) && /processes\.all\.evaluation_selection/.test(JSON.stringify(error)),
  );
});

test('evaluation cut on the truth or the score is rejected', () => {
  for (const cut of ['label == 0', 'isb > 0', 'prob_b > 0.5']) {
    assert.throws(() => checkEvaluationSelections(configWithCut(cut)), /would bias its ROC curves/, cut);
  }
});
