import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCsv } from '../../src/evaluation/csv.js';

test('numbers, infinities and booleans', () => {
  const text = formatCsv([
    { header: 'threshold', values: Float64Array.from([0.1, -Infinity]) },
    { header: 'flag', values: [true, false] },
  ]);
  assert.equal(text, 'threshold,flag\n0.1,true\n-Infinity,false\n');
});

test('numbers read back exactly', () => {
  const values = Float64Array.from([1 / 3, 1e-7, 0.1 + 0.2]);
  const lines = formatCsv([{ header: 'x', values }]).trimEnd().split('\n').slice(1);
  assert.deepEqual(lines.map(Number), [...values]);
});

test('strings with commas and quotes are quoted', () => {
  assert.equal(formatCsv([{ header: 'name', values: ['b,c', 'say "hi"'] }]), 'name\n"b,c"\n"say ""hi"""\n');
});

test('columns of different lengths are rejected', () => {
  assert.throws(() => formatCsv([{ header: 'a', values: [1] }, { header: 'b', values: [] }]), /'b' has 0 rows; expected 1/);
});
