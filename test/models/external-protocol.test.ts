import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeFrame, FrameDecoder, ProtocolError } from '../../src/models/external/protocol.js';

test('protocol frame round trip in small chunks', () => {
  const global = Float32Array.from([1.5, -2, 3.25, Number.NaN, 0, 7]);
  const labels = Int32Array.from([4, -1, 2]);
  const buffers = encodeFrame({ type: 'train_batch', epoch: 2 }, [
    { name: 'global', shape: [3, 2], values: global },
    { name: 'label', shape: [3], values: labels },
  ]);
  const bytes = Buffer.concat([...buffers, ...encodeFrame({ type: 'shutdown' })]);
  // The header line plus 24 + 12 payload bytes, then the second frame's line.
  const header = JSON.parse(buffers[0].toString('utf8').trim()) as { payloads: unknown[] };
  assert.deepEqual(header.payloads, [
    { name: 'global', dtype: 'float32', shape: [3, 2] },
    { name: 'label', dtype: 'int32', shape: [3] },
  ]);
  assert.equal(bytes.length, buffers[0].length + 36 + '{"type":"shutdown"}\n'.length);

  const decoder = new FrameDecoder();
  const frames = [];
  for (let i = 0; i < bytes.length; i += 5) {
    decoder.push(bytes.subarray(i, i + 5));
    for (let frame = decoder.next(); frame !== undefined; frame = decoder.next()) frames.push(frame);
  }
  assert.equal(frames.length, 2);
  assert.deepEqual(frames[0].message, { type: 'train_batch', epoch: 2 });
  assert.deepEqual(Array.from(frames[0].payloads[0].values), Array.from(global));
  assert.ok(frames[0].payloads[1].values instanceof Int32Array);
  assert.deepEqual(Array.from(frames[0].payloads[1].values), [4, -1, 2]);
  assert.deepEqual(frames[1].message, { type: 'shutdown' });
});

test('protocol payload bytes are little-endian', () => {
  const [, payload] = encodeFrame({ type: 'x' }, [{ name: 'a', shape: [1], values: Int32Array.from([0x01020304]) }]);
  assert.deepEqual(Array.from(payload), [4, 3, 2, 1]);
});

test('protocol rejects shape mismatch on encode', () => {
  assert.throws(() => encodeFrame({ type: 'x' }, [{ name: 'a', shape: [2, 2], values: new Float32Array(3) }]), /has 3 values but shape \[2, 2\] needs 4/);
});

test('protocol rejects invalid worker output', () => {
  const cases: Array<[string, RegExp]> = [
    ['not json\n', /not JSON: "not json"/],
    ['[1, 2]\n', /without a string "type"/],
    ['{"type": 3}\n', /without a string "type"/],
    ['{"type": "x", "payloads": {}}\n', /"payloads" must be a list/],
    ['{"type": "x", "payloads": [{"name": "a", "dtype": "float64", "shape": [1]}]}\n', /invalid payload header/],
    ['{"type": "x", "payloads": [{"name": "a", "dtype": "int32", "shape": [-1]}]}\n', /invalid payload header/],
  ];
  for (const [text, pattern] of cases) {
    const decoder = new FrameDecoder();
    decoder.push(Buffer.from(text));
    assert.throws(() => decoder.next(), (error: unknown) => error instanceof ProtocolError && pattern.test(error.message), text);
  }
});

test('protocol waits for incomplete payload', () => {
  const decoder = new FrameDecoder();
  decoder.push(Buffer.from('{"type": "x", "payloads": [{"name": "a", "dtype": "float32", "shape": [2]}]}\n'));
  decoder.push(Buffer.alloc(4));
  assert.equal(decoder.next(), undefined);
  decoder.push(Buffer.alloc(4));
  const frame = decoder.next();
  assert.ok(frame !== undefined);
  assert.deepEqual(Array.from(frame.payloads[0].values), [0, 0]);
});
