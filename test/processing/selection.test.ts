import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CUT_REASONS, failedCut, selectEntries } from '../../src/processing/index.js';

const cuts = { ptMin: 20, ptMax: 1500, absEtaMax: 2.5 };

test('failedCut ends are inclusive', () => {
  assert.equal(failedCut(20, 2.5, cuts), undefined);
  assert.equal(failedCut(1500, -2.5, cuts), undefined);
  assert.equal(failedCut(19.99, 0, cuts), 'pt_min');
  assert.equal(failedCut(1500.01, 0, cuts), 'pt_max');
  assert.equal(failedCut(100, -2.51, cuts), 'abs_eta_max');
  assert.equal(failedCut(Number.NaN, 0, cuts), 'non_finite_kinematics');
  assert.equal(failedCut(10, 3, {}), undefined);
});

test('selectEntries order and counts', () => {
  // Entry: 0 kept b, 1 llp (also fails pt), 2 pt_min, 3 eta, 4 no class, 5 kept c, 6 pileup, 7 pt_max.
  const selection = selectEntries({
    file: 'x.root',
    numEntries: 8,
    pt: [50, 5, 5, 50, 50, 50, 50, 2000],
    eta: [0, 0, 0, 3, 0, 0, 0, 0],
    cuts,
    drop: [
      { name: 'llp', flags: [[0, 1, 0, 0, 0, 0, 0, 0]] },
      { name: 'pileup', flags: [[0, 1, 0, 0, 0, 0, 1, 0]] },
    ],
    classes: [
      { name: 'b', flags: [[1, 1, 1, 1, 0, 0, 0, 1]] },
      { name: 'c', flags: [[0, 0, 0, 0, 0, 1, 0, 0]] },
    ],
  });
  assert.deepEqual([...selection.entries], [0, 5]);
  assert.deepEqual([...selection.labels], [0, 1]);
  assert.deepEqual(selection.dropped, {
    llp: 1,
    pileup: 1,
    [CUT_REASONS.ptMin]: 1,
    [CUT_REASONS.ptMax]: 1,
    [CUT_REASONS.absEtaMax]: 1,
    [CUT_REASONS.noClass]: 1,
  });
});

test('selectEntries without classes labels -1', () => {
  const selection = selectEntries({ file: 'data.root', numEntries: 3, pt: [30, 40, 10], eta: [0, 1, 0], cuts, drop: [] });
  assert.deepEqual([...selection.entries], [0, 1]);
  assert.deepEqual([...selection.labels], [-1, -1]);
  assert.deepEqual(selection.dropped, { pt_min: 1 });
});
