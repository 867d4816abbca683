/**
 * Named float32 arrays in one binary file: the values back to back, little-endian, with the
 * names, shapes and offsets kept in a JSON index that the caller stores (in model.json or
 * optimizer.json). NumPy reads such a file with `np.fromfile(path, '<f4')` and the offsets.
 */

import { readFile, rename, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { InputError, UnsupportedError } from '../../errors.js';

/** One array in a bundle. */
export interface ArrayIndexEntry {
  name: string;
  shape: number[];
  /** Position of the first value, counted in float32 values from the start of the file. */
  offset: number;
}

export type NamedArrays = Map<string, { shape: number[]; values: Float32Array }>;

function checkLittleEndian(): void {
  // Float32Array uses the platform byte order, and the files are defined as little-endian.
  if (endianness() !== 'LE') throw new UnsupportedError('bhive model files need a little-endian platform');
}

/** Write `arrays` to `file` (through a temporary name, then renamed) and return the index. */
export async function writeArrayBundle(file: string, arrays: NamedArrays): Promise<ArrayIndexEntry[]> {
  checkLittleEndian();
  const index: ArrayIndexEntry[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, { shape, values }] of arrays) {
    index.push({ name, shape, offset });
    chunks.push(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    offset += values.length;
  }
  const temporary = `${file}.partial-${process.pid}`;
  await writeFile(temporary, Buffer.concat(chunks));
  await rename(temporary, file);
  return index;
}

/** Read the arrays that `index` lists from `file`; throws an `InputError` naming the file when it is short. */
export async function readArrayBundle(file: string, index: ArrayIndexEntry[]): Promise<NamedArrays> {
  checkLittleEndian();
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new InputError(`cannot read the weight file ${file}`, { file }, { cause: error });
  }
  const numValues = Math.floor(bytes.byteLength / 4);
  // Copy into a fresh, aligned buffer: a Buffer from readFile may start at any byte offset.
  const all = new Float32Array(numValues);
  new Uint8Array(all.buffer).set(bytes.subarray(0, numValues * 4));

  const result: NamedArrays = new Map();
  for (const entry of index) {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    if (!Number.isInteger(entry.offset) || entry.offset < 0 || entry.offset + size > numValues) {
      throw new InputError(
        `array '${entry.name}' needs values ${entry.offset}-${entry.offset + size} but ${file} contains ${numValues}; the file is truncated or does not belong to its index`,
        { file },
      );
    }
    result.set(entry.name, { shape: entry.shape, values: all.slice(entry.offset, entry.offset + size) });
  }
  return result;
}
