/**
 * ROOT's compressed-object format for zlib (R__zipMultipleAlgorithm): the object is cut into
 * blocks of at most 0xffffff bytes, and each block is stored as a 9-byte header ("ZL", the
 * method byte 8 for deflate, the compressed and the uncompressed size as 3-byte little-endian
 * numbers) followed by a zlib stream.
 */

import { deflateSync } from 'node:zlib';

/** The largest block that a 3-byte size field can describe. */
const maxBlockSize = 0xffffff;

/** Compression of written objects: zlib at a level from 1 to 9, or none. */
export type WriterCompression = { algorithm: 'zlib'; level: number } | { algorithm: 'none' };

/** ROOT's fCompress setting for `compression`: 100 × algorithm + level, so 101 to 109 for zlib, 0 for none. */
export function compressionSetting(compression: WriterCompression): number {
  return compression.algorithm === 'zlib' ? 100 + compression.level : 0;
}

/**
 * Compresses an object for a key. Returns the bytes to store: ZL blocks, or `data` itself
 * when compression is off or does not make it smaller, which readers recognise because the
 * stored size then equals the object length.
 */
export function compressObject(data: Uint8Array, compression: WriterCompression): Uint8Array {
  if (compression.algorithm === 'none' || data.length === 0) return data;
  const blocks: Uint8Array[] = [];
  let total = 0;
  for (let start = 0; start < data.length; start += maxBlockSize) {
    const input = data.subarray(start, Math.min(start + maxBlockSize, data.length));
    const deflated = deflateSync(input, { level: compression.level });
    // A block whose compressed size does not fit the 3-byte field cannot be stored compressed.
    if (deflated.length > maxBlockSize) return data;
    const header = new Uint8Array(9);
    header[0] = 0x5a; // 'Z'
    header[1] = 0x4c; // 'L'
    header[2] = 8; // Z_DEFLATED
    writeUint24(header, 3, deflated.length);
    writeUint24(header, 6, input.length);
    blocks.push(header, deflated);
    total += 9 + deflated.length;
  }
  if (total >= data.length) return data;
  const result = new Uint8Array(total);
  let offset = 0;
  for (const block of blocks) {
    result.set(block, offset);
    offset += block.length;
  }
  return result;
}

function writeUint24(target: Uint8Array, at: number, value: number): void {
  target[at] = value & 0xff;
  target[at + 1] = (value >>> 8) & 0xff;
  target[at + 2] = (value >>> 16) & 0xff;
}
