import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeRoc } from '../../src/evaluation/roc.js';
import { evaluateWindows, selectWindow } from '../../src/evaluation/windows.js';

const signal = {
  scores: Float64Array.from([0.9, 0.8, 0.7, 0.6]),
  pt: Float64Array.from([25, 60, 60, 300]),
  eta: Float64Array.from([0.1, -2.0, 1.0, 0.5]),
};
const background = {
  scores: Float64Array.from([0.75, 0.3, 0.2, 0.65]),
  pt: Float64Array.from([30, 55, 200, 29.999]),
  eta: Float64Array.from([-0.2, 0.3, 2.4, 1.4]),
};

test('window keeps jets inside pT and |η| ranges', () => {
  const window = { name: 'w', ptMin: 30, ptMax: 100, absEtaMin: 0, absEtaMax: 1.5 };
  assert.deepEqual([...selectWindow(signal, window).scores], [0.7]);
  assert.deepEqual([...selectWindow(background, window).scores], [0.75, 0.3]);
});

test('window ROC equals ROC of selected jets', () => {
  const [result] = evaluateWindows(signal, background, [{ name: 'central', ptMin: 0, ptMax: Infinity, absEtaMin: 0, absEtaMax: 1.5 }], [0.5], 'D');
  const expected = computeRoc([0.9, 0.7, 0.6], [0.75, 0.3, 0.65]);
  assert.equal(result.numSignal, 3);
  assert.equal(result.numBackground, 3);
  assert.equal(result.curve?.auc, expected.auc);
  assert.equal(result.rejection.length, 1);
});

test('empty window gets a note', () => {
  const [result] = evaluateWindows(signal, background, [{ name: 'forward', ptMin: 0, ptMax: 20, absEtaMin: 0, absEtaMax: Infinity }], [0.5], 'D');
  assert.equal(result.curve, undefined);
  assert.match(result.note ?? '', /window 'forward' has 0 signal and 0 background jets/);
});
