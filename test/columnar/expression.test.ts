import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateExpression, ExpressionError, parseExpression } from '../../src/columnar/index.js';

const columns: Record<string, number[]> = {
  Jet_pt: [10, 25, 40, 100],
  Jet_eta: [0.5, -2.7, 1.0, -1.2],
  'AnalysisJetsAuxDyn.pt': [1000, 2000, 3000, 4000],
};

function run(text: string): number[] {
  return Array.from(evaluateExpression(parseExpression(text), 4, (name) => columns[name]));
}

function errorOf(text: string): ExpressionError {
  try {
    run(text);
  } catch (error) {
    assert.ok(error instanceof ExpressionError, `expected ExpressionError, got ${String(error)}`);
    return error;
  }
  assert.fail(`'${text}' was accepted`);
}

test('selection with comparisons and and', () => {
  assert.deepEqual(run('Jet_pt > 20 && abs(Jet_eta) < 2.5'), [0, 0, 1, 1]);
  assert.deepEqual(run('Jet_pt > 20 and not (Jet_eta < 0)'), [0, 0, 1, 0]);
  assert.deepEqual(run('Jet_pt <= 10 || Jet_pt >= 100'), [1, 0, 0, 1]);
});

test('arithmetic precedence', () => {
  assert.deepEqual(run('1 + 2 * 3 - 4 / 2'), [5, 5, 5, 5]);
  assert.deepEqual(run('-2 ** 2'), [-4, -4, -4, -4]);
  assert.deepEqual(run('2 ** 3 ** 2'), [512, 512, 512, 512]);
  assert.deepEqual(run('(1 + 2) * 3 % 4'), [1, 1, 1, 1]);
});

test('functions and dotted names', () => {
  assert.deepEqual(run('AnalysisJetsAuxDyn.pt / 1000'), [1, 2, 3, 4]);
  assert.deepEqual(run('max(Jet_pt, 30) - min(Jet_pt, 30)'), [20, 5, 10, 70]);
  assert.deepEqual(run('sqrt(Jet_pt * 0 + 16)'), [4, 4, 4, 4]);
  assert.deepEqual(run('log(1)'), [0, 0, 0, 0]);
  assert.equal(run('cosh(1) - sinh(1)')[0].toFixed(12), Math.exp(-1).toFixed(12));
});

test('names read by an expression', () => {
  assert.deepEqual(parseExpression('abs(Jet_eta) < 2.5 && Jet_pt > Jet_eta').names, ['Jet_eta', 'Jet_pt']);
});

test('errors give the column', () => {
  assert.equal(errorOf('Jet_pt > > 3').column, 10);
  assert.equal(errorOf('abs(Jet_pt').column, 11);
  assert.equal(errorOf('Jet_pt $ 2').column, 8);
  assert.equal(errorOf('foo(Jet_pt)').column, 1);
  assert.equal(errorOf('max(Jet_pt)').column, 1);
  assert.equal(errorOf('1 < Jet_pt < 3').column, 12);
  assert.equal(errorOf('Jet_pt + Jet_mass').column, 10);
  assert.match(errorOf('Jet_pt + Jet_mass').message, /unknown column 'Jet_mass'/);
});
