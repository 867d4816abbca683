import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decadeFloor,
  formatDecade,
  formatLinearTick,
  linearTicks,
  logDomain,
  logTicks,
  niceLinearDomain,
  niceStep,
} from '../../src/plotting/ticks.js';

test('nice steps are 1, 2 or 5 times a power of ten', () => {
  assert.equal(niceStep(1, 5), 0.2);
  assert.equal(niceStep(1, 6), 0.2);
  assert.equal(niceStep(7, 6), 2);
  assert.equal(niceStep(300, 6), 50);
  assert.equal(niceStep(0.03, 6), 0.005);
});

test('linear ticks of the unit interval', () => {
  assert.deepEqual(linearTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
});

test('linear ticks skip values outside the range', () => {
  assert.deepEqual(linearTicks(0.05, 0.95), [0.2, 0.4, 0.6, 0.8]);
  assert.deepEqual(linearTicks(-3, 7), [-2, 0, 2, 4, 6]);
});

test('nice linear domain rounds outwards', () => {
  assert.deepEqual(niceLinearDomain(0.43, 0.71), [0.4, 0.75]);
  assert.deepEqual(niceLinearDomain(1, 10), [0, 10]);
  assert.deepEqual(niceLinearDomain(2, 2), [1.8, 2.2]);
  assert.deepEqual(niceLinearDomain(0, 0), [-1, 1]);
});

test('log ticks of three decades', () => {
  const { major, minor } = logTicks(1e-3, 1);
  assert.deepEqual(major, [1e-3, 1e-2, 1e-1, 1]);
  assert.equal(minor.length, 3 * 8);
  assert.ok(minor.includes(2e-3));
  assert.ok(minor.includes(9e-1));
  assert.ok(!minor.includes(2));
});

test('log ticks inside a part of a decade', () => {
  const { major, minor } = logTicks(0.15, 0.55);
  assert.deepEqual(major, []);
  assert.deepEqual(minor, [0.2, 0.30000000000000004, 0.4, 0.5]);
});

test('log domain widens to whole decades', () => {
  assert.deepEqual(logDomain(0.0042, 0.7), [1e-3, 1]);
  assert.deepEqual(logDomain(1, 1), [1, 10]);
});

test('decade floor of values', () => {
  assert.equal(decadeFloor(0.004), 1e-3);
  assert.equal(decadeFloor(1e-4), 1e-4);
  assert.equal(decadeFloor(1 / 3000), 1e-4);
});

test('decade labels use superscripts', () => {
  assert.equal(formatDecade(1), '1');
  assert.equal(formatDecade(10), '10');
  assert.equal(formatDecade(1e-3), '10⁻³');
  assert.equal(formatDecade(1e-12), '10⁻¹²');
  assert.equal(formatDecade(100), '10²');
});

test('linear tick labels follow the step', () => {
  assert.equal(formatLinearTick(0.4, 0.2), '0.4');
  assert.equal(formatLinearTick(0, 0.2), '0.0');
  assert.equal(formatLinearTick(0.25, 0.05), '0.25');
  assert.equal(formatLinearTick(1500, 500), '1500');
  assert.equal(formatLinearTick(-1e-17, 0.1), '0.0');
});

test('rounding residue keeps the smaller step', () => {
  assert.equal(niceStep(1.6 - 0.4, 6), 0.2);
  assert.deepEqual(linearTicks(0.4, 1.6), [0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6]);
});

test('integer ticks skip fractions', () => {
  assert.deepEqual(linearTicks(1, 3, 6, 1), [1, 2, 3]);
  assert.deepEqual(linearTicks(0, 12, 6, 1), [0, 2, 4, 6, 8, 10, 12]);
});
