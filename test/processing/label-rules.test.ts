import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FlagGroup } from '../../src/config/types.js';
import { InputError } from '../../src/errors.js';
import { assignClass, classPriority, labelColumns, matchesGroup, processingMessages, satisfies } from '../../src/processing/index.js';

// Five jets: hadron flavour and parton flavour per jet.
const branches: Record<string, number[]> = {
  Jet_hadronFlavour: [5, 4, 0, 0, 0],
  Jet_partonFlavour: [5, 4, 21, 1, -3],
};
const column = (name: string): number[] => branches[name];

const ruleClasses: FlagGroup[] = [
  { name: 'b', flags: [], conditions: [{ branch: 'Jet_hadronFlavour', operator: 'in', values: [5] }] },
  { name: 'c', flags: [], conditions: [{ branch: 'Jet_hadronFlavour', operator: 'in', values: [4] }] },
  {
    name: 'uds',
    flags: [],
    conditions: [
      { branch: 'Jet_hadronFlavour', operator: 'in', values: [0] },
      { branch: 'Jet_partonFlavour', operator: 'not_in', values: [21] },
    ],
  },
];

test('satisfies each operator', () => {
  assert.equal(satisfies({ branch: 'x', operator: 'in', values: [1, 2] }, 2), true);
  assert.equal(satisfies({ branch: 'x', operator: 'in', values: [1, 2] }, 3), false);
  assert.equal(satisfies({ branch: 'x', operator: 'not_in', values: [21] }, 21), false);
  assert.equal(satisfies({ branch: 'x', operator: 'not_in', values: [21] }, 1), true);
  assert.equal(satisfies({ branch: 'x', operator: 'lt', values: [3] }, 3), false);
  assert.equal(satisfies({ branch: 'x', operator: 'le', values: [3] }, 3), true);
  assert.equal(satisfies({ branch: 'x', operator: 'gt', values: [3] }, 3), false);
  assert.equal(satisfies({ branch: 'x', operator: 'ge', values: [3] }, 3), true);
});

test('rule conditions are AND-ed', () => {
  const [, , uds] = labelColumns(ruleClasses, column);
  assert.deepEqual([0, 1, 2, 3, 4].map((jet) => matchesGroup(uds, jet)), [false, false, false, true, true]);
});

test('jet without a class gets -1', () => {
  const classes = labelColumns(ruleClasses, column);
  assert.deepEqual([0, 1, 2, 3, 4].map((jet) => assignClass(classes, jet, 'f.root')), [0, 1, -1, 2, 2]);
});

test('two matching classes without priority', () => {
  const overlapping: FlagGroup[] = [
    ...ruleClasses,
    { name: 'light', flags: [], conditions: [{ branch: 'Jet_hadronFlavour', operator: 'in', values: [0] }] },
  ];
  const classes = labelColumns(overlapping, column);
  assert.throws(
    () => assignClass(classes, 3, 'f.root'),
    (error: unknown) => error instanceof InputError && error.message === processingMessages.twoClasses('f.root', 3, 'uds', 'light'),
  );
  const priority = classPriority(overlapping, ['b', 'c', 'uds', 'light']);
  assert.equal(assignClass(classes, 3, 'f.root', priority), 2);
  assert.equal(assignClass(classes, 2, 'f.root', priority), 3);
  const reversed = classPriority(overlapping, ['light', 'uds', 'c', 'b']);
  assert.equal(assignClass(classes, 3, 'f.root', reversed), 3);
});

test('flag groups keep working beside rules', () => {
  const classes = labelColumns([{ name: 'b', flags: ['Jet_hadronFlavour'] }], column);
  assert.deepEqual([0, 2].map((jet) => assignClass(classes, jet, 'f.root')), [0, -1]);
});
