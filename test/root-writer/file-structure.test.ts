/**
 * Checks the bytes of a written file against the ROOT file format (the layout of TFile's
 * header, TKey, TDirectoryFile, TFree and TBasket), parsed here independently of the writer.
 */

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { writeTree } from '../../src/root/writer/index.js';

interface KeyHeader {
  position: number;
  nbytes: number;
  version: number;
  objectLength: number;
  keyLength: number;
  cycle: number;
  seekKey: number;
  seekParent: number;
  className: string;
  name: string;
  title: string;
  /** Position after the title. */
  end: number;
}

function readTString(bytes: Buffer, at: number): [string, number] {
  let length = bytes[at];
  let start = at + 1;
  if (length === 255) {
    length = bytes.readInt32BE(at + 1);
    start = at + 5;
  }
  return [bytes.toString('utf8', start, start + length), start + length];
}

function readKey(bytes: Buffer, position: number): KeyHeader {
  const [className, afterClass] = readTString(bytes, position + 26);
  const [name, afterName] = readTString(bytes, afterClass);
  const [title, end] = readTString(bytes, afterName);
  return {
    position,
    nbytes: bytes.readInt32BE(position),
    version: bytes.readInt16BE(position + 4),
    objectLength: bytes.readInt32BE(position + 6),
    keyLength: bytes.readInt16BE(position + 14),
    cycle: bytes.readInt16BE(position + 16),
    seekKey: bytes.readInt32BE(position + 18),
    seekParent: bytes.readInt32BE(position + 22),
    className,
    name,
    title,
    end,
  };
}

/** The object of a key, inflated from ZL blocks when stored compressed. */
function keyObject(bytes: Buffer, key: KeyHeader): Buffer {
  const stored = bytes.subarray(key.position + key.keyLength, key.position + key.nbytes);
  if (stored.length === key.objectLength) return stored;
  const parts: Buffer[] = [];
  let at = 0;
  while (at < stored.length) {
    assert.equal(stored.toString('latin1', at, at + 2), 'ZL', `block magic in key ${key.name}`);
    assert.equal(stored[at + 2], 8, 'deflate method byte');
    const compressedSize = stored.readUIntLE(at + 3, 3);
    const uncompressedSize = stored.readUIntLE(at + 6, 3);
    const block = inflateSync(stored.subarray(at + 9, at + 9 + compressedSize));
    assert.equal(block.length, uncompressedSize, `uncompressed block size in key ${key.name}`);
    parts.push(block);
    at += 9 + compressedSize;
  }
  const object = Buffer.concat(parts);
  assert.equal(object.length, key.objectLength, `object length of key ${key.name}`);
  return object;
}

let dir: string;
let bytes: Buffer;
const numEntries = 300;
const entriesPerBasket = 128;
const counts = Int32Array.from({ length: numEntries }, (_, i) => i % 5);

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bhive-file-structure-'));
  const file = path.join(dir, 'structure.root');
  const numValues = counts.reduce((a, b) => a + b, 0);
  await writeTree(
    file,
    'jets',
    [
      { name: 'n', type: 'int32' },
      { name: 'v', type: 'float32', counter: 'n' },
      { name: 'pt', type: 'float32' },
    ],
    { n: counts, v: Float32Array.from({ length: numValues }, (_, i) => i), pt: Float32Array.from({ length: numEntries }, (_, i) => i / 7) },
    { title: 'jet tree', fileTitle: 'file title', entriesPerBasket },
  );
  bytes = await readFile(file);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('file header fields', () => {
  assert.equal(bytes.toString('latin1', 0, 4), 'root');
  assert.ok(bytes.readInt32BE(4) < 1_000_000, 'small-file version');
  assert.equal(bytes.readInt32BE(8), 100, 'fBEGIN');
  assert.equal(bytes.readInt32BE(12), bytes.length, 'fEND');
  const seekFree = bytes.readInt32BE(16);
  const nbytesFree = bytes.readInt32BE(20);
  assert.equal(bytes.readInt32BE(24), 1, 'nfree');
  assert.equal(seekFree + nbytesFree, bytes.length, 'free segments key is last');
  assert.equal(bytes[32], 4, 'fUnits');
  assert.equal(bytes.readInt32BE(33), 101, 'fCompress');
});

test('top directory record', () => {
  const key = readKey(bytes, 100);
  assert.equal(key.className, 'TFile');
  assert.equal(key.name, 'structure.root');
  assert.equal(key.title, 'file title');
  assert.equal(key.seekKey, 100);
  assert.equal(key.seekParent, 0);
  const nbytesName = bytes.readInt32BE(28);
  assert.equal(nbytesName, key.keyLength + 1 + 'structure.root'.length + 1 + 'file title'.length);
  const directory = 100 + nbytesName;
  assert.equal(bytes.readInt16BE(directory), 5, 'directory version');
  assert.equal(bytes.readInt32BE(directory + 14), nbytesName, 'fNbytesName');
  assert.equal(bytes.readInt32BE(directory + 18), 100, 'fSeekDir');
  assert.equal(bytes.readInt32BE(directory + 22), 0, 'fSeekParent');
  assert.equal(key.nbytes, nbytesName + 60, 'directory record of 60 bytes');

  const seekKeys = bytes.readInt32BE(directory + 26);
  const keysKey = readKey(bytes, seekKeys);
  assert.equal(bytes.readInt32BE(directory + 10), keysKey.nbytes, 'fNbytesKeys');
  assert.equal(keysKey.className, 'TFile');
  assert.equal(bytes.readInt32BE(keysKey.position + keysKey.keyLength), 1, 'one top-level key');
  const listed = readKey(bytes, keysKey.position + keysKey.keyLength + 4);
  assert.equal(listed.className, 'TTree');
  assert.equal(listed.name, 'jets');
  assert.equal(listed.title, 'jet tree');
  const treeKey = readKey(bytes, listed.seekKey);
  assert.deepEqual({ ...treeKey, position: 0, end: 0 }, { ...listed, position: 0, end: 0 }, 'listed header equals the tree key');
});

test('streamer info and free segment keys', () => {
  const seekInfo = bytes.readInt32BE(37);
  const info = readKey(bytes, seekInfo);
  assert.equal(info.className, 'TList');
  assert.equal(info.name, 'StreamerInfo');
  assert.equal(info.nbytes, bytes.readInt32BE(41), 'fNbytesInfo');
  const list = keyObject(bytes, info);
  assert.equal(list.readUInt32BE(0) & 0x40000000, 0x40000000, 'byte count mask');
  assert.equal(list.readUInt32BE(0) & ~0x40000000, list.length - 4, 'byte count covers the list');
  assert.equal(list.readInt16BE(4), 5, 'TList version');

  const free = readKey(bytes, bytes.readInt32BE(16));
  const record = free.position + free.keyLength;
  assert.equal(bytes.readInt16BE(record), 1, 'TFree version');
  assert.equal(bytes.readInt32BE(record + 2), bytes.length, 'free segment starts at fEND');
  assert.equal(bytes.readInt32BE(record + 6), 2_000_000_000, 'free segment ends at kStartBigFile');
});

test('keys tile the file and baskets follow TBasket', () => {
  const numClusters = Math.ceil(numEntries / entriesPerBasket);
  const baskets: KeyHeader[] = [];
  let position = 100;
  while (position < bytes.length) {
    const key = readKey(bytes, position);
    assert.ok(key.nbytes > 0, `key at ${position}`);
    if (key.className === 'TBasket') baskets.push(key);
    position += key.nbytes;
  }
  assert.equal(position, bytes.length, 'the last key ends at fEND');
  assert.equal(baskets.length, 3 * numClusters);

  for (const basket of baskets) {
    assert.equal(basket.title, 'jets');
    assert.equal(basket.seekKey, basket.position);
    assert.equal(basket.seekParent, 100);
    assert.equal(basket.keyLength, basket.end - basket.position + 19, 'key length includes the TBasket fields');
    const fields = basket.end;
    assert.equal(bytes.readInt16BE(fields), 3, 'TBasket version');
    const entryBufferSize = bytes.readInt32BE(fields + 6);
    const numBasketEntries = bytes.readInt32BE(fields + 10);
    const last = bytes.readInt32BE(fields + 14);
    assert.equal(bytes[fields + 18], 0, 'header-only flag');
    const object = keyObject(bytes, basket);
    const dataLength = last - basket.keyLength;
    const cluster = baskets.filter((b) => b.name === basket.name).indexOf(basket);
    const firstEntry = cluster * entriesPerBasket;
    assert.equal(numBasketEntries, Math.min(entriesPerBasket, numEntries - firstEntry));

    if (basket.name === 'v') {
      assert.equal(entryBufferSize, 1000);
      const entryCounts = Array.from(counts.subarray(firstEntry, firstEntry + numBasketEntries));
      assert.equal(dataLength, 4 * entryCounts.reduce((a, b) => a + b, 0));
      assert.equal(object.readInt32BE(dataLength), numBasketEntries + 1, 'offset table count');
      assert.equal(object.length, dataLength + 4 + 4 * (numBasketEntries + 1));
      let expected = basket.keyLength;
      for (let i = 0; i < numBasketEntries; i++) {
        assert.equal(object.readInt32BE(dataLength + 4 + 4 * i), expected, `offset of entry ${firstEntry + i}`);
        expected += 4 * entryCounts[i];
      }
      assert.equal(object.readInt32BE(dataLength + 4 + 4 * numBasketEntries), 0, 'ROOT writes 0 after the last offset');
    } else {
      assert.equal(entryBufferSize, 4);
      assert.equal(dataLength, 4 * numBasketEntries);
      assert.equal(object.length, dataLength, 'no offset table');
    }
    if (basket.name === 'pt') {
      for (let i = 0; i < numBasketEntries; i++) assert.equal(object.readFloatBE(4 * i), Math.fround((firstEntry + i) / 7));
    }
  }
});
