/**
 * Decoder for one LZ4 block (the raw block format, without the LZ4 frame), as ROOT
 * stores it after its own block header. Written in TypeScript because no LZ4 package on
 * npm decodes raw blocks into a caller's buffer without an extra size prefix and copy.
 */

/** Thrown when the compressed bytes do not form a valid LZ4 block of the expected size. */
export class Lz4FormatError extends Error {}

/**
 * Decodes the LZ4 block `input` into `output`, which must have exactly the uncompressed size.
 * Every read and write is bounds-checked, so damaged input throws instead of reading or
 * writing outside the arrays.
 * @returns the number of bytes written, equal to `output.length` for a valid block.
 * @throws Lz4FormatError for a truncated block, a match offset before the start of the
 *   output, or output longer than `output.length`.
 */
export function decodeLz4Block(input: Uint8Array, output: Uint8Array): number {
  const inputEnd = input.length;
  const outputEnd = output.length;
  let i = 0;
  let o = 0;

  while (i < inputEnd) {
    const token = input[i++];

    let literalLength = token >>> 4;
    if (literalLength === 15) {
      let byte = 255;
      while (byte === 255) {
        if (i >= inputEnd) throw new Lz4FormatError('literal length runs past the end of the block');
        byte = input[i++];
        literalLength += byte;
      }
    }
    if (i + literalLength > inputEnd) throw new Lz4FormatError('literals run past the end of the block');
    if (o + literalLength > outputEnd) throw new Lz4FormatError(`output exceeds the expected ${outputEnd} bytes`);
    output.set(input.subarray(i, i + literalLength), o);
    i += literalLength;
    o += literalLength;

    // The last sequence of a block has literals only.
    if (i >= inputEnd) break;

    if (i + 2 > inputEnd) throw new Lz4FormatError('match offset runs past the end of the block');
    const offset = input[i] | (input[i + 1] << 8);
    i += 2;
    if (offset === 0 || offset > o) throw new Lz4FormatError(`match offset ${offset} at output byte ${o} points before the start`);

    let matchLength = token & 15;
    if (matchLength === 15) {
      let byte = 255;
      while (byte === 255) {
        if (i >= inputEnd) throw new Lz4FormatError('match length runs past the end of the block');
        byte = input[i++];
        matchLength += byte;
      }
    }
    matchLength += 4;
    if (o + matchLength > outputEnd) throw new Lz4FormatError(`output exceeds the expected ${outputEnd} bytes`);

    let from = o - offset;
    if (offset >= matchLength) {
      output.copyWithin(o, from, from + matchLength);
      o += matchLength;
    } else {
      // Overlapping match: the copy repeats bytes it has just written.
      const end = o + matchLength;
      while (o < end) output[o++] = output[from++];
    }
  }
  return o;
}
