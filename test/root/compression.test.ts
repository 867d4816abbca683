import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { UnsupportedError } from '../../src/errors.js';
import { BlockFormatError, decompressObject, UnknownAlgorithmError } from '../../src/root/compression.js';
import { decodeLz4Block, Lz4FormatError } from '../../src/root/lz4.js';
import { RootFile } from '../../src/root/index.js';
import { sharedData } from '../helpers/paths.js';

/** Builds one ROOT block: 9-byte header with algorithm letters, method, compressed and uncompressed sizes. */
function block(code: string, payload: Uint8Array, uncompressedSize: number): Uint8Array {
  const header = new Uint8Array(9);
  header[0] = code.charCodeAt(0);
  header[1] = code.charCodeAt(1);
  header[2] = 8;
  for (let i = 0; i < 3; i++) {
    header[3 + i] = (payload.length >> (8 * i)) & 0xff;
    header[6 + i] = (uncompressedSize >> (8 * i)) & 0xff;
  }
  return Buffer.concat([header, payload]);
}

test('LZ4 block with overlapping match', () => {
  // Literals 'abc', then a match of 9 bytes at offset 3: 'abcabcabcabc'.
  const input = Uint8Array.from([0x35, 97, 98, 99, 3, 0]);
  const output = new Uint8Array(12);
  assert.equal(decodeLz4Block(input, output), 12);
  assert.equal(Buffer.from(output).toString(), 'abcabcabcabc');
});

test('LZ4 block with bad offset', () => {
  assert.throws(() => decodeLz4Block(Uint8Array.from([0x10, 97, 9, 0]), new Uint8Array(8)), Lz4FormatError);
  assert.throws(() => decodeLz4Block(Uint8Array.from([0x50, 97]), new Uint8Array(8)), Lz4FormatError);
});

test('object split into several zlib blocks', () => {
  const first = Buffer.from('first block '.repeat(50));
  const second = Buffer.from('and the second one '.repeat(30));
  const input = Buffer.concat([block('ZL', deflateSync(first), first.length), block('ZL', deflateSync(second), second.length)]);
  const output = decompressObject(input, first.length + second.length);
  assert.equal(Buffer.from(output).toString(), first.toString() + second.toString());
});

test('unknown algorithm and truncated block', () => {
  const data = Buffer.from('some data '.repeat(20));
  assert.throws(() => decompressObject(block('QQ', deflateSync(data), data.length), data.length), (error: unknown) => {
    assert.ok(error instanceof UnknownAlgorithmError);
    assert.equal(error.code, 'QQ');
    return true;
  });
  const whole = block('ZL', deflateSync(data), data.length);
  assert.throws(() => decompressObject(whole.subarray(0, whole.length - 5), data.length), BlockFormatError);
  assert.throws(() => decompressObject(whole, data.length + 10), BlockFormatError);
});

test('unknown compression code in a basket', async () => {
  const original = new Uint8Array(await readFile(sharedData('reader', 'uproot-HZZ-zlib.root')));
  const rootFile = await RootFile.open(sharedData('reader', 'uproot-HZZ-zlib.root'));
  const basket = (await rootFile.tree('events')).meta.branches.get('Jet_Px')?.baskets[0];
  await rootFile.close();
  assert.ok(basket?.location.kind === 'file');
  const seek = basket.location.seek;
  const keyLength = (original[seek + 14] << 8) | original[seek + 15];
  const damaged = original.slice();
  damaged[seek + keyLength] = 'Q'.charCodeAt(0);
  damaged[seek + keyLength + 1] = 'Q'.charCodeAt(0);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'bhive-codec-'));
  const file = path.join(dir, 'damaged.root');
  await writeFile(file, damaged);
  const opened = await RootFile.open(file);
  await assert.rejects((await opened.tree('events')).arrays(['Jet_Px']), (error: unknown) => {
    assert.ok(error instanceof UnsupportedError);
    assert.equal(error.context.branch, 'Jet_Px');
    assert.equal(error.context.entryStart, 0);
    assert.match(error.message, /basket 0 of branch 'Jet_Px' \(entries 0-2421\)/);
    assert.match(error.message, /compression code 'QQ'/);
    return true;
  });
  await opened.close();
  await rm(dir, { recursive: true, force: true });
});
