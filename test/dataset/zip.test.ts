import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32, readZip, writeZip, ZipFormatError } from '../../src/dataset/index.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

test('crc32 check value', () => {
  // The standard check value of CRC-32/ISO-HDLC for the ASCII digits 1 to 9.
  assert.equal(crc32(text('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

test('round trip stored and deflated', () => {
  const entries = [
    { name: 'a.npy', data: text('first member') },
    { name: 'b.npy', data: new Uint8Array(10000) },
    { name: 'empty.npy', data: new Uint8Array(0) },
  ];
  for (const compress of [false, true]) {
    const archive = writeZip(entries, compress);
    const read = readZip(archive);
    assert.deepEqual(read.map((e) => e.name), ['a.npy', 'b.npy', 'empty.npy']);
    for (let i = 0; i < entries.length; i++) assert.deepEqual([...read[i].data], [...entries[i].data]);
  }
  assert.ok(writeZip(entries, true).length < writeZip(entries, false).length);
});

test('damaged member fails its CRC', () => {
  const archive = writeZip([{ name: 'a.npy', data: text('some data here') }], false);
  archive[30 + 'a.npy'.length + 2] ^= 0xff;
  assert.throws(() => readZip(archive), /fails its CRC-32 check/);
});

test('non-ZIP input', () => {
  assert.throws(() => readZip(text('not a zip archive at all, just some text')), ZipFormatError);
});
