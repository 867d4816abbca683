import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatJets, findShapeProblems, selectJets, splitJets } from '../../src/dataset/index.js';
import type { JetArrays } from '../../src/dataset/index.js';

/** n jets with 2 global features and a group of 2 candidates × 1 feature; values encode the jet index. */
function makeJets(n: number, offset = 0): JetArrays {
  const index = (width: number, scale: number): Float32Array =>
    Float32Array.from({ length: n * width }, (_, i) => (Math.floor(i / width) + offset) * scale + (i % width));
  return {
    numJets: n,
    global: index(2, 10),
    groups: { sv: index(2, 100) },
    label: Int32Array.from({ length: n }, (_, i) => i + offset),
    weight: index(1, 0.5),
    pt: index(1, 1),
    eta: index(1, -1),
  };
}

const layout = { globalFeatures: ['a', 'b'], groups: [{ name: 'sv', maxCandidates: 2, features: ['x'] }] };

test('selectJets gathers rows in order', () => {
  const selected = selectJets(makeJets(5), new Int32Array([4, 1]));
  assert.equal(selected.numJets, 2);
  assert.deepEqual([...selected.global], [40, 41, 10, 11]);
  assert.deepEqual([...selected.groups.sv], [400, 401, 100, 101]);
  assert.deepEqual([...selected.label], [4, 1]);
  assert.deepEqual([...selected.weight], [2, 0.5]);
  assert.throws(() => selectJets(makeJets(2), new Int32Array([2])), RangeError);
});

test('concatJets keeps order', () => {
  const joined = concatJets([makeJets(2), makeJets(1, 2)], ['sv']);
  assert.equal(joined.numJets, 3);
  assert.deepEqual([...joined.label], [0, 1, 2]);
  assert.deepEqual([...joined.groups.sv], [0, 1, 100, 101, 200, 201]);
  assert.deepEqual(findShapeProblems(joined, layout), []);
});

test('findShapeProblems names the array', () => {
  const jets = makeJets(3);
  jets.pt = new Float32Array(2);
  assert.deepEqual(findShapeProblems(jets, layout), ["'pt' has 2 values; shape [3] needs 3"]);
});

test('splitJets sizes and disjointness', () => {
  const { train, validation } = splitJets(makeJets(10), 0.3, 7);
  assert.equal(validation.numJets, 3);
  assert.equal(train.numJets, 7);
  const all = [...train.label, ...validation.label].sort((a, b) => a - b);
  assert.deepEqual(all, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...train.label], [...train.label].sort((a, b) => a - b), 'stored order is kept');
});

test('splitJets is seeded', () => {
  const first = splitJets(makeJets(50), 0.2, 3).validation.label;
  const again = splitJets(makeJets(50), 0.2, 3).validation.label;
  const other = splitJets(makeJets(50), 0.2, 4).validation.label;
  assert.deepEqual(first, again);
  assert.notDeepEqual(first, other);
  assert.throws(() => splitJets(makeJets(5), 1, 0), RangeError);
});
