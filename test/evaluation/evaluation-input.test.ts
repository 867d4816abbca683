import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, InputError } from '../../src/errors.js';
import { fileSafeName, legendLabel, scoreDiscriminants } from '../../src/evaluation/evaluation-input.js';

const CLASSES = ['b', 'c', 'light'];
const PROBABILITIES = Float32Array.from([0.6, 0.3, 0.1, 0.1, 0.2, 0.7]);
const LABELS = Int32Array.from([0, 2]);

test('every discriminant is scored', () => {
  const scores = scoreDiscriminants({ probabilities: PROBABILITIES, labels: LABELS, classNames: CLASSES }, [
    { name: 'BvsL', signal: ['b'], background: ['light'] },
    { name: 'CvsL', signal: ['c'], background: ['light'] },
  ]);
  assert.equal(scores.length, 2);
  assert.ok(Math.abs(scores[0].signalScores[0] - 0.6 / 0.7) < 1e-7);
  assert.ok(Math.abs(scores[0].backgroundScores[0] - 0.1 / 0.8) < 1e-7);
  // no c jets: CvsL has only background
  assert.equal(scores[1].signalScores.length, 0);
});

test('duplicate discriminant names are rejected', () => {
  const spec = { name: 'BvsL', signal: ['b'], background: ['light'] };
  assert.throws(
    () => scoreDiscriminants({ probabilities: PROBABILITIES, labels: LABELS, classNames: CLASSES }, [spec, spec]),
    ConfigError,
  );
});

test('probabilities of wrong size are rejected', () => {
  assert.throws(
    () => scoreDiscriminants({ probabilities: PROBABILITIES, labels: Int32Array.from([0]), classNames: CLASSES }, []),
    InputError,
  );
});

test('legend labels and file names', () => {
  assert.equal(legendLabel({ label: 'DeepJet' }, 'BvsL'), 'DeepJet BvsL');
  assert.equal(legendLabel({}, 'BvsL'), 'BvsL');
  assert.equal(fileSafeName('B vs L/2'), 'B_vs_L_2');
  assert.equal(fileSafeName('CvsB-v1.2'), 'CvsB-v1.2');
});
