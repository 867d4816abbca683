import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadEvaluateConfig, parseEvaluateConfig } from '../../src/evaluation/evaluate-config.js';
import { ConfigError } from '../../src/errors.js';
import { repoRoot } from '../helpers/paths.js';

const BASE = `name: test
input:
  labels:
    one_hot: { b: is_b, light: is_light }
  scores: { b: p_b, light: p_light }
discriminants:
  BvsL: { signal: [b], background: [light] }
`;

function errorOf(text: string): ConfigError {
  try {
    parseEvaluateConfig(text, '/tmp/eval.yml');
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

test('shipped evaluation configs load', async () => {
  const weaver = await loadEvaluateConfig(path.join(repoRoot(), 'configs', 'evaluate_weaver_ak8.yml'));
  assert.equal(weaver.input.tree, 'Events');
  assert.equal(weaver.input.labels.kind, 'one_hot');
  assert.deepEqual(weaver.input.scores?.map((ref) => ref.name), ['score_label_H_bb', 'score_label_H_cc', 'score_label_H_qq', 'score_label_H_tautau']);
  const llr = weaver.discriminants.find((d) => d.name === 'HbbLLR');
  assert.equal(llr?.kind, 'log_likelihood_ratio');
  assert.deepEqual(llr?.backgroundFractions, [0.3, 0.7]);
  assert.deepEqual(weaver.evaluation.bootstrap, { replicas: 50, seed: 1 });
  assert.equal(weaver.evaluation.windows.length, 2);

  const nano = await loadEvaluateConfig(path.join(repoRoot(), 'configs', 'evaluate_nanoaod_deepjet.yml'));
  assert.equal(nano.input.labels.kind, 'integer');
  assert.equal(nano.input.scores, undefined);
  assert.deepEqual(nano.referenceTaggers.map((r) => r.score.name), ['Jet_btagDeepFlavB', 'Jet_btagDeepFlavB', 'Jet_btagDeepB']);
});

test('defaults for working points and evaluation', () => {
  const config = parseEvaluateConfig(BASE, '/tmp/eval.yml');
  assert.deepEqual(config.workingPoints, [0.1, 0.05, 0.01, 0.005, 0.001]);
  assert.deepEqual(config.evaluation, { rejectionEfficiencies: [0.5, 0.7, 0.85], windows: [], useWeights: false });
  assert.equal(config.input.tree, 'Events');
});

test('column of a 2-D array', () => {
  const config = parseEvaluateConfig(BASE.replace('p_b,', '{ array: scores, column: 1 },'), '/tmp/eval.yml');
  assert.deepEqual(config.input.scores?.[0], { name: 'scores', column: 1 });
});

test('invalid evaluation configs name the key', () => {
  const cases: Array<[string, string, RegExp]> = [
    [BASE.replace('    one_hot: { b: is_b, light: is_light }\n', '    one_hot: { b: is_b, light: is_light }\n    column: flavour\n'), 'input.labels', /give either one_hot, or column with values, not both/],
    [BASE.replace('background: [light]', 'background: [ligth]'), 'discriminants.BvsL.background', /'ligth' is not a class defined under input.labels \(b, light\). Did you mean 'light'\?/],
    [BASE.replace('  scores: { b: p_b, light: p_light }\n', ''), 'input.scores', /discriminants are computed from class scores/],
    [BASE.replace('light: p_light', 'c: p_c'), 'input.scores.c', /unknown key 'input.scores.c'/],
    [BASE.replace('{ signal: [b], background: [light] }', '{ signal: [b], background: [light], type: llr }'), 'discriminants.BvsL.type', /'llr' is not a discriminant type; use ratio \(CMS style\) or log_likelihood_ratio \(ATLAS style\)/],
    [BASE.replace('{ signal: [b], background: [light] }', '{ signal: [b], background: [light], background_fractions: { light: 1 } }'), 'discriminants.BvsL.background_fractions', /apply only to discriminants with type: log_likelihood_ratio/],
    [`${BASE}evaluation: { bootstrap: { replicas: 5000 } }\n`, 'evaluation.bootstrap.replicas', /5000 replicas is more than the maximum of 1000/],
    [`${BASE}evaluation: { windows: [{ name: w, pt: [100, 50] }] }\n`, 'evaluation.windows[0].pt', /expected 0 <= minimum < maximum, found \[100, 50\]/],
    [`${BASE}working_points: [0.1, 1.5]\n`, 'working_points[1]', /mistag rates must lie strictly between 0 and 1, found 1.5/],
    [BASE.replace('p_b,', '{ array: scores, column: -1 },'), 'input.scores.b.column', /expected a column index of 0 or more, found -1/],
    [BASE.replace('discriminants:\n  BvsL: { signal: [b], background: [light] }\n', ''), 'discriminants', /define at least one discriminant or reference tagger/],
  ];
  for (const [text, key, message] of cases) {
    const error = errorOf(text);
    assert.equal(error.context.configKey, key, `key for ${String(message)}`);
    assert.match(error.message, message);
  }
});

test('integer labels reject a value given twice', () => {
  const text = `name: n
input:
  labels:
    column: Jet_hadronFlavour
    values: { b: [5], c: [4, 5] }
reference_taggers:
  B: { score: Jet_btagDeepFlavB, signal: [b], background: [c] }
`;
  const error = errorOf(text);
  assert.equal(error.context.configKey, 'input.labels.values.c');
  assert.match(error.message, /label value 5 is already given to class 'b'/);
});

test('process column and names', () => {
  const text = BASE.replace('  scores:', '  process: proc\n  scores:') + 'processes:\n  - { name: ttbar, evaluation_selection: "pt > 30" }\n  - { name: qcd }\n';
  const config = parseEvaluateConfig(text, '/tmp/eval.yml');
  assert.deepEqual(config.input.process, { name: 'proc' });
  assert.deepEqual(config.processes, [{ name: 'ttbar', evaluationSelection: 'pt > 30' }, { name: 'qcd' }]);
  assert.equal(errorOf(BASE.replace('  scores:', '  process: proc\n  scores:')).context.configKey, 'input.process');
  assert.equal(errorOf(`${BASE}processes:\n  - { name: ttbar }\n`).context.configKey, 'processes');
  const twice = BASE.replace('  scores:', '  process: proc\n  scores:') + 'processes:\n  - { name: ttbar }\n  - { name: ttbar }\n';
  assert.equal(errorOf(twice).context.configKey, 'processes[1].name');
});
