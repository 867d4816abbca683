/**
 * One basket as a key, in the layout of TBasket::WriteBuffer: the TKey header, the TBasket
 * fields (fVersion i16, fBufferSize, fNevBufSize, fNevBuf, fLast as i32, and a flag byte of 0
 * for "header only"), then the stored object. The object is the entry data and, for
 * variable-size entries, an entry offset table: an i32 count of entries + 1, the start of
 * each entry measured from the start of the key, and a final 0, as ROOT 6 writes it.
 */

import { ByteWriter } from './byte-writer.js';
import { compressObject, type WriterCompression } from './compression.js';
import { fileBegin, keyHeaderLength, writeKeyHeader } from './file-records.js';

/** Bytes of the TBasket fields that follow the key header. */
const basketFieldsLength = 19;
/** TBasket's class version in ROOT 6. */
const basketVersion = 3;
/** fBufferSize at least ROOT's default basket size. */
const minimumBufferSize = 32000;

export interface BasketInput {
  branch: string;
  tree: string;
  /** Big-endian entry data. */
  data: Uint8Array;
  numEntries: number;
  /** Start of each entry in `data`, [numEntries], for variable-size entries; undefined for fixed-size ones. */
  entryStarts?: Int32Array;
  /** fNevBufSize: bytes per entry for fixed-size entries, the offset table length otherwise. */
  entryBufferSize: number;
  seekKey: number;
  datime: number;
  compression: WriterCompression;
}

export interface BuiltBasket {
  /** The whole key, ready to be written at `seekKey`. */
  bytes: Uint8Array;
  /** Key header plus the uncompressed object (what fTotBytes counts). */
  uncompressedBytes: number;
}

/** Builds the key of one basket. */
export function buildBasket(input: BasketInput): BuiltBasket {
  const keyLength = keyHeaderLength('TBasket', input.branch, input.tree) + basketFieldsLength;
  const offsetTableLength = input.entryStarts === undefined ? 0 : 4 * (input.numEntries + 2);
  const object = new ByteWriter(keyLength, input.data.length + offsetTableLength);
  object.raw(input.data);
  if (input.entryStarts !== undefined) {
    object.i32(input.numEntries + 1);
    for (const start of input.entryStarts) object.i32(start + keyLength);
    object.i32(0);
  }
  const objectBytes = object.bytes();
  const stored = compressObject(objectBytes, input.compression);
  const last = keyLength + input.data.length;

  const writer = new ByteWriter(0, keyLength + stored.length);
  writeKeyHeader(writer, {
    className: 'TBasket',
    name: input.branch,
    title: input.tree,
    objectLength: objectBytes.length,
    storedLength: stored.length,
    keyLength,
    datime: input.datime,
    seekKey: input.seekKey,
    seekParentDirectory: fileBegin,
  });
  writer.i16(basketVersion);
  writer.i32(Math.max(minimumBufferSize, keyLength + objectBytes.length));
  writer.i32(input.entryBufferSize);
  writer.i32(input.numEntries);
  writer.i32(last);
  writer.u8(0);
  writer.raw(stored);
  return { bytes: writer.bytes(), uncompressedBytes: keyLength + objectBytes.length };
}
