import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnsupportedError } from '../../src/errors.js';
import { decodeNpy, encodeNpy, NpyFormatError } from '../../src/dataset/index.js';

test('header pads data to 64 bytes', () => {
  for (const shape of [[3], [2, 25, 16], [0], []]) {
    const size = shape.reduce((a, b) => a * b, 1);
    const bytes = encodeNpy({ dtype: '<f4', shape, data: new Float32Array(size) });
    const headerLength = bytes[8] | (bytes[9] << 8);
    assert.equal((10 + headerLength) % 64, 0, `shape [${shape}]`);
    assert.equal(bytes[10 + headerLength - 1], 0x0a, 'the header ends with a newline');
    assert.equal(bytes.length, 10 + headerLength + size * 4);
  }
});

test('header text', () => {
  const bytes = encodeNpy({ dtype: '<i4', shape: [5], data: new Int32Array(5) });
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + (bytes[8] | (bytes[9] << 8))));
  assert.equal(header.trimEnd(), "{'descr': '<i4', 'fortran_order': False, 'shape': (5,), }");
});

test('round trip of each dtype', () => {
  const cases = [
    { dtype: '<f4' as const, shape: [2, 3], data: new Float32Array([1.5, -2, 3, Number.NaN, 1e-30, 7]) },
    { dtype: '<f8' as const, shape: [3], data: new Float64Array([Math.PI, -0, 1e300]) },
    { dtype: '<i4' as const, shape: [2, 2], data: new Int32Array([-1, 2147483647, -2147483648, 0]) },
  ];
  for (const array of cases) {
    const decoded = decodeNpy(encodeNpy(array));
    assert.equal(decoded.dtype, array.dtype);
    assert.deepEqual(decoded.shape, array.shape);
    assert.deepEqual(decoded.data, array.data);
  }
});

test('encodeNpy rejects a wrong shape', () => {
  assert.throws(() => encodeNpy({ dtype: '<f4', shape: [2, 2], data: new Float32Array(3) }), /needs 4 values/);
  assert.throws(() => encodeNpy({ dtype: '<i4', shape: [1], data: new Float32Array(1) }), /does not match/);
});

test('decodeNpy rejects bad input', () => {
  assert.throws(() => decodeNpy(new Uint8Array(20)), NpyFormatError);
  const good = encodeNpy({ dtype: '<f4', shape: [4], data: new Float32Array(4) });
  assert.throws(() => decodeNpy(good.subarray(0, good.length - 1)), /needs 16/);
  const bigEndian = good.slice();
  bigEndian[10 + "{'descr': '".length] = '>'.charCodeAt(0);
  assert.throws(() => decodeNpy(bigEndian), UnsupportedError);
});
