/**
 * Decoding of one basket read from the file: its TKey header and TBasket fields, the
 * (possibly compressed) payload, and the entry offset table that follows the data of
 * variable-size entries. Layout as in ROOT's TKey::Streamer and TBasket::Streamer:
 *
 *   TKey:    fNbytes i32, fVersion i16 (above 1000: 64-bit seeks), fObjlen i32, fDatime u32,
 *            fKeylen i16, fCycle i16, fSeekKey, fSeekPdir (4 or 8 bytes), class, name, title
 *   TBasket: fVersion i16, fBufferSize i32, fNevBufSize i32, fNevBuf i32, fLast i32, flag i8
 *
 * The uncompressed object is `fObjlen` bytes: the entry data up to `fLast - fKeylen`, then,
 * for branches with an entry offset table, an i32 count and that many i32 offsets measured
 * from the start of the key. All numbers are big-endian.
 */

import { type Decompressors, decompressObject } from './compression.js';

/** The decoded bytes of one basket. */
export interface BasketContent {
  /** The entry data, `fLast - fKeylen` bytes. */
  data: Uint8Array;
  /** Number of entries (`fNevBuf`). */
  numEntries: number;
  /** Start of each entry in `data`, plus the end, [numEntries + 1]; undefined when the basket has no offset table. */
  entryOffsets?: Int32Array;
  /** Size of the uncompressed basket (`fObjlen`): the data and the entry offset table. */
  uncompressedBytes: number;
}

/** Thrown for a basket whose bytes are inconsistent; callers add the file, branch and basket. */
export class BasketFormatError extends Error {}

function readString(view: DataView, position: number): number {
  if (position >= view.byteLength) throw new BasketFormatError('key header is truncated');
  let length = view.getUint8(position);
  position += 1;
  if (length === 255) {
    if (position + 4 > view.byteLength) throw new BasketFormatError('key header is truncated');
    length = view.getInt32(position);
    position += 4;
  }
  return position + length;
}

/**
 * Decodes the bytes of one basket, exactly `fBasketBytes` read at `fBasketSeek`.
 * @param hasOffsetTable whether the branch keeps an entry offset table (`fEntryOffsetLen > 0`);
 *   a basket of such a branch may still have none, which leaves `entryOffsets` undefined.
 * @throws BasketFormatError when sizes in the header disagree with each other or with the bytes read.
 */
export function decodeBasket(raw: Uint8Array, hasOffsetTable: boolean, decompressors: Decompressors): BasketContent {
  if (raw.length < 32) throw new BasketFormatError(`basket has ${raw.length} bytes, fewer than a key header`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const numBytes = view.getInt32(0);
  const keyVersion = view.getInt16(4);
  const objectLength = view.getInt32(6);
  const keyLength = view.getInt16(14);
  if (numBytes !== raw.length) throw new BasketFormatError(`key header gives ${numBytes} bytes, but the branch lists ${raw.length}`);
  if (keyLength < 32 || keyLength > numBytes || objectLength < 0) {
    throw new BasketFormatError(`key header is invalid (key length ${keyLength}, object length ${objectLength}, total ${numBytes})`);
  }

  let position = 18 + (keyVersion > 1000 ? 16 : 8);
  for (let s = 0; s < 3; s++) position = readString(view, position);
  if (position + 19 > keyLength) throw new BasketFormatError(`TBasket fields end at byte ${position + 19}, after the key length ${keyLength}`);
  // fVersion, fBufferSize, then fNevBufSize, which is negated when an fIOBits byte follows.
  position += 2 + 4;
  const ioBits = view.getInt32(position) < 0 ? 1 : 0;
  if (position + 13 + ioBits > keyLength) throw new BasketFormatError(`TBasket fields end after the key length ${keyLength}`);
  const numEntries = view.getInt32(position + 4 + ioBits);
  const last = view.getInt32(position + 8 + ioBits);
  const dataLength = last - keyLength;
  if (numEntries < 0 || dataLength < 0 || dataLength > objectLength) {
    throw new BasketFormatError(`TBasket fields are invalid (fNevBuf ${numEntries}, fLast ${last}, fKeylen ${keyLength}, fObjlen ${objectLength})`);
  }

  const payload = raw.subarray(keyLength);
  // A basket that did not shrink under compression is stored as it is.
  const object = payload.length === objectLength ? payload : decompressObject(payload, objectLength, decompressors);
  const data = object.subarray(0, dataLength);
  if (!hasOffsetTable || dataLength === objectLength) return { data, numEntries, uncompressedBytes: objectLength };
  return { data, numEntries, entryOffsets: readOffsetTable(object, dataLength, numEntries, keyLength), uncompressedBytes: objectLength };
}

function readOffsetTable(object: Uint8Array, dataLength: number, numEntries: number, keyLength: number): Int32Array {
  const view = new DataView(object.buffer, object.byteOffset, object.byteLength);
  if (dataLength + 4 > object.length) throw new BasketFormatError('entry offset table is truncated');
  // ROOT 6 writes fNevBuf + 1 offsets, the last being the end of the data; older versions fNevBuf.
  const count = view.getInt32(dataLength);
  if ((count !== numEntries && count !== numEntries + 1) || dataLength + 4 + 4 * count > object.length) {
    throw new BasketFormatError(`entry offset table has ${count} entries in ${object.length - dataLength - 4} bytes, expected ${numEntries}`);
  }
  const offsets = new Int32Array(numEntries + 1);
  let previous = 0;
  for (let i = 0; i < numEntries; i++) {
    const offset = view.getInt32(dataLength + 4 + 4 * i) - keyLength;
    if (offset < previous || offset > dataLength) {
      throw new BasketFormatError(`entry offset ${i} is ${offset}, outside ${previous}..${dataLength}`);
    }
    offsets[i] = offset;
    previous = offset;
  }
  offsets[numEntries] = dataLength;
  return offsets;
}
