/** NumPy `.npz` archives: a ZIP file with one `.npy` member per named array, as `numpy.savez` writes. */

import { InputError, UnsupportedError } from '../errors.js';
import { decodeNpy, encodeNpy, NpyFormatError, type NdArray } from './npy.js';
import { readZip, writeZip, ZipFormatError } from './zip.js';

/**
 * Encodes named arrays as an `.npz` archive, in the order given. Deflated (like
 * `numpy.savez_compressed`) when `compress` is true, else stored (like `numpy.savez`).
 */
export function encodeNpz(arrays: Array<[string, NdArray]>, compress: boolean): Uint8Array {
  return writeZip(
    arrays.map(([name, array]) => ({ name: `${name}.npy`, data: encodeNpy(array) })),
    compress,
  );
}

/**
 * Decodes an `.npz` archive into arrays keyed by member name without `.npy`.
 * @throws InputError naming `file` when the archive or a member is malformed, and
 *   UnsupportedError naming it for dtypes and compression methods that bhive does not read.
 */
export function decodeNpz(bytes: Uint8Array, file: string): Map<string, NdArray> {
  const arrays = new Map<string, NdArray>();
  let member = '';
  try {
    for (const entry of readZip(bytes)) {
      member = entry.name;
      arrays.set(entry.name.replace(/\.npy$/, ''), decodeNpy(entry.data));
    }
  } catch (cause) {
    const where = member ? ` in member '${member}'` : '';
    if (cause instanceof UnsupportedError) {
      throw new UnsupportedError(`${file}${where}: ${cause.message}`, { file }, { cause });
    }
    if (!(cause instanceof NpyFormatError || cause instanceof ZipFormatError)) throw cause;
    throw new InputError(`invalid .npz file ${file}${where}: ${cause.message}`, { file }, { cause });
  }
  return arrays;
}
