/**
 * Decompression of ROOT objects and baskets. A compressed object is a sequence of blocks,
 * each with a 9-byte header (ROOT's R__unzip header): two letters naming the algorithm,
 * one method byte, then the compressed and the uncompressed size of the block as 3-byte
 * little-endian integers. Algorithms: `ZL` zlib, `CS` the deflate of ROOT 5 and older
 * without a zlib header, `XZ` an xz stream (LZMA), `ZS` a zstd frame, and `L4` an 8-byte
 * xxhash64 checksum followed by one LZ4 block.
 */

import { createRequire } from 'node:module';
import { inflateRawSync, inflateSync } from 'node:zlib';
import { xz } from '@napi-rs/lzma';
import { decodeLz4Block } from './lz4.js';

/** Compression algorithms of ROOT blocks, named by their header letters. */
export type BlockAlgorithm = 'ZL' | 'CS' | 'XZ' | 'ZS' | 'L4';

/**
 * One decoder per algorithm. Each receives the block payload (the bytes after the 9-byte
 * header) and the uncompressed size from the header, and returns exactly that many bytes
 * or throws. Replace entries to swap a decoder, as the benchmarks do.
 */
export interface Decompressors {
  /** A zlib stream (2-byte header, deflate data, Adler-32). */
  zlib(payload: Uint8Array, outputSize: number): Uint8Array;
  /** Raw deflate data without header, as ROOT 5 wrote with `CS`. */
  deflateRaw(payload: Uint8Array, outputSize: number): Uint8Array;
  /** A complete xz stream. */
  lzma(payload: Uint8Array, outputSize: number): Uint8Array;
  /** One zstd frame. */
  zstd(payload: Uint8Array, outputSize: number): Uint8Array;
  /** One raw LZ4 block (the checksum is already removed). */
  lz4(payload: Uint8Array, outputSize: number): Uint8Array;
}

/** Thrown for blocks that cannot be decoded; callers add the file, branch and basket. */
export class BlockFormatError extends Error {}

/** Thrown for a block header whose algorithm letters are not known. */
export class UnknownAlgorithmError extends Error {
  constructor(readonly code: string) {
    super(`unknown compression algorithm '${code}' in a block header`);
  }
}

interface ZstdBinding {
  decompress(output: Uint8Array, input: Uint8Array): number;
}

// zstd-napi's low-level binding decompresses into a caller's buffer of the known size; its
// CommonJS export is a native module, whose members ES module imports cannot see.
const zstdBinding = createRequire(import.meta.url)('zstd-napi/binding.js') as ZstdBinding;

function checkSize(output: Uint8Array, outputSize: number, algorithm: string): Uint8Array {
  if (output.length !== outputSize) {
    throw new BlockFormatError(`${algorithm} block decompressed to ${output.length} bytes, expected ${outputSize}`);
  }
  return output;
}

/** Decoders backed by node:zlib, @napi-rs/lzma, zstd-napi and bhive's LZ4 block decoder. */
export const nativeDecompressors: Decompressors = {
  zlib: (payload, outputSize) => checkSize(inflateSync(payload, { maxOutputLength: Math.max(outputSize, 1) }), outputSize, 'zlib'),
  deflateRaw: (payload, outputSize) =>
    checkSize(inflateRawSync(payload, { maxOutputLength: Math.max(outputSize, 1) }), outputSize, 'deflate'),
  lzma: (payload, outputSize) => checkSize(xz.decompressSync(payload), outputSize, 'xz'),
  zstd: (payload, outputSize) => {
    const output = new Uint8Array(outputSize);
    return checkSize(output.subarray(0, zstdBinding.decompress(output, payload)), outputSize, 'zstd');
  },
  lz4: (payload, outputSize) => {
    const output = new Uint8Array(outputSize);
    return checkSize(output.subarray(0, decodeLz4Block(payload, output)), outputSize, 'LZ4');
  },
};

const BLOCK_HEADER_BYTES = 9;
const LZ4_CHECKSUM_BYTES = 8;

function decodeBlock(decompressors: Decompressors, code: string, payload: Uint8Array, outputSize: number): Uint8Array {
  switch (code) {
    case 'ZL':
      return decompressors.zlib(payload, outputSize);
    case 'CS':
      return decompressors.deflateRaw(payload, outputSize);
    case 'XZ':
      return decompressors.lzma(payload, outputSize);
    case 'ZS':
      return decompressors.zstd(payload, outputSize);
    case 'L4':
      // NOTE: the xxhash64 checksum is skipped, so damaged LZ4 data is caught only when its
      // structure or size is wrong.
      if (payload.length < LZ4_CHECKSUM_BYTES) throw new BlockFormatError('LZ4 block is shorter than its checksum');
      return decompressors.lz4(payload.subarray(LZ4_CHECKSUM_BYTES), outputSize);
    default:
      throw new UnknownAlgorithmError(code);
  }
}

/**
 * Decompresses one ROOT object (a basket or a keyed object) made of one or more blocks.
 * @param input the compressed bytes, starting at the first block header.
 * @param outputSize the uncompressed size of the whole object (the key's `fObjlen`).
 * @returns exactly `outputSize` bytes.
 * @throws BlockFormatError when a header is truncated, a block is larger than the input,
 *   the sizes do not add up to `outputSize`, or a decoder fails.
 * @throws UnknownAlgorithmError for a block with unknown algorithm letters.
 */
export function decompressObject(input: Uint8Array, outputSize: number, decompressors: Decompressors = nativeDecompressors): Uint8Array {
  let output: Uint8Array | undefined;
  let position = 0;
  let written = 0;
  let numBlocks = 0;

  while (written < outputSize) {
    if (position + BLOCK_HEADER_BYTES > input.length) {
      throw new BlockFormatError(
        `block header ${numBlocks + 1} at byte ${position} lies past the end of the ${input.length} compressed bytes (${written} of ${outputSize} bytes decoded)`,
      );
    }
    const code = String.fromCharCode(input[position], input[position + 1]);
    const compressedSize = input[position + 3] | (input[position + 4] << 8) | (input[position + 5] << 16);
    const blockSize = input[position + 6] | (input[position + 7] << 8) | (input[position + 8] << 16);
    const payloadStart = position + BLOCK_HEADER_BYTES;
    if (payloadStart + compressedSize > input.length) {
      throw new BlockFormatError(`block ${numBlocks + 1} claims ${compressedSize} compressed bytes, but only ${input.length - payloadStart} remain`);
    }
    if (blockSize === 0 || written + blockSize > outputSize) {
      throw new BlockFormatError(`block ${numBlocks + 1} claims ${blockSize} uncompressed bytes, but ${outputSize - written} remain to be decoded`);
    }

    let block: Uint8Array;
    try {
      block = decodeBlock(decompressors, code, input.subarray(payloadStart, payloadStart + compressedSize), blockSize);
    } catch (cause) {
      if (cause instanceof UnknownAlgorithmError || cause instanceof BlockFormatError) throw cause;
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new BlockFormatError(`${code} block ${numBlocks + 1} failed to decompress: ${reason}`, { cause });
    }
    if (block.length !== blockSize) {
      throw new BlockFormatError(`${code} block ${numBlocks + 1} decompressed to ${block.length} bytes, expected ${blockSize}`);
    }

    // A single block is the common case and needs no copy.
    if (numBlocks === 0 && blockSize === outputSize) return block;
    output ??= new Uint8Array(outputSize);
    output.set(block, written);
    written += blockSize;
    position = payloadStart + compressedSize;
    numBlocks++;
  }
  return output ?? new Uint8Array(0);
}
