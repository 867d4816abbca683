import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeVarint, ProtoMessage } from '../../src/export/protobuf.js';

test('varints of the protobuf documentation', () => {
  assert.deepEqual(Array.from(encodeVarint(1n)), [0x01]);
  assert.deepEqual(Array.from(encodeVarint(150n)), [0x96, 0x01]);
  assert.deepEqual(Array.from(encodeVarint(300n)), [0xac, 0x02]);
  assert.deepEqual(Array.from(encodeVarint((1n << 64n) - 1n)), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  assert.throws(() => encodeVarint(-1n), RangeError);
});

test('fields with their wire types', () => {
  // Field 1 varint 150 is the documentation's example: 08 96 01.
  assert.deepEqual(Array.from(new ProtoMessage().int(1, 150).encode()), [0x08, 0x96, 0x01]);
  // A negative int64 takes ten bytes of two's complement.
  assert.deepEqual(Array.from(new ProtoMessage().int(3, -1).encode()), [0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  // Field 2 string "testing": 12 07 74 65 73 74 69 6e 67.
  assert.deepEqual(Array.from(new ProtoMessage().string(2, 'testing').encode()), [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
  // Field 2 float 1.0 as fixed32, little-endian.
  assert.deepEqual(Array.from(new ProtoMessage().float(2, 1).encode()), [0x15, 0x00, 0x00, 0x80, 0x3f]);
  const inner = new ProtoMessage().int(1, 150);
  assert.deepEqual(Array.from(new ProtoMessage().message(3, inner).encode()), [0x1a, 0x03, 0x08, 0x96, 0x01]);
});
