import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyNonFinitePolicies, nonFiniteReason, type ProcessedJets } from '../../src/processing/index.js';

function jets(): ProcessedJets {
  // Three jets, two global features, group 'sv' of 1 candidate x 2 features.
  return {
    file: 'f.root',
    tree: 'Events',
    numEntries: 2,
    numJets: 3,
    entries: Int32Array.from([0, 0, 1]),
    global: Float32Array.from([1, NaN, 3, 4, 5, 6]),
    groups: { sv: Float32Array.from([Infinity, 0, 1, 1, -Infinity, NaN]) },
    label: Int32Array.from([0, 1, 2]),
    pt: Float32Array.from([20, 30, 40]),
    eta: Float32Array.from([0, 1, 2]),
    dropped: { pt_min: 4 },
  };
}

test('replace counts every value', () => {
  const { jets: result, counts } = applyNonFinitePolicies(jets(), { sv: { action: 'replace', value: -1 } });
  assert.deepEqual(Array.from(result.groups.sv), [-1, 0, 1, 1, -1, -1]);
  assert.deepEqual(counts.sv, { action: 'replace', jetsDropped: 0, valuesReplaced: 3 });
  assert.equal(result.numJets, 3);
});

test('drop removes the jet from every array', () => {
  const { jets: result, counts } = applyNonFinitePolicies(jets(), { global: { action: 'drop' }, sv: { action: 'drop' } });
  assert.equal(result.numJets, 1);
  assert.deepEqual(Array.from(result.global), [3, 4]);
  assert.deepEqual(Array.from(result.groups.sv), [1, 1]);
  assert.deepEqual(Array.from(result.label), [1]);
  assert.deepEqual(Array.from(result.pt), [30]);
  assert.deepEqual(counts.global.jetsDropped, 1);
  assert.deepEqual(counts.sv.jetsDropped, 1);
  assert.deepEqual(result.dropped, { pt_min: 4, [nonFiniteReason('global')]: 1, [nonFiniteReason('sv')]: 1 });
});
