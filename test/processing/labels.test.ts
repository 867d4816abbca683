import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { assignClass, findFlagGroup, hasAnyFlag } from '../../src/processing/index.js';

const classes = [
  { name: 'b', flags: [[1, 0, 0, 1]] },
  { name: 'c', flags: [[0, 1, 0, 0], [0, 0, 0, 1]] },
];

test('hasAnyFlag checks every flag of a group', () => {
  assert.equal(hasAnyFlag(classes[1], 1), true);
  assert.equal(hasAnyFlag(classes[1], 3), true);
  assert.equal(hasAnyFlag(classes[1], 0), false);
});

test('findFlagGroup returns -1 without a flag', () => {
  assert.equal(findFlagGroup(classes, 0), 0);
  assert.equal(findFlagGroup(classes, 1), 1);
  assert.equal(findFlagGroup(classes, 2), -1);
});

test('assignClass rejects two classes', () => {
  assert.equal(assignClass(classes, 1, 'x.root'), 1);
  assert.equal(assignClass(classes, 2, 'x.root'), -1);
  assert.throws(() => assignClass(classes, 3, 'x.root'), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.context.file, 'x.root');
    assert.equal(error.context.entryStart, 3);
    assert.match(error.message, /entry 3 of x\.root belongs to two classes, 'b' and 'c'/);
    return true;
  });
});
