/**
 * The NumPy `.npy` format, version 1.0 for writing and 1.0 to 3.0 for reading: a magic
 * string, a Python-literal header dictionary padded so that the data starts on a 64-byte
 * boundary, then the array in C order. Only little-endian float32, float64 and int32 are
 * supported, which are the types of the training dataset.
 * Format description: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */

import { UnsupportedError } from '../errors.js';

export type NpyDtype = '<f4' | '<f8' | '<i4';
export type NpyData = Float32Array | Float64Array | Int32Array;

/** An n-dimensional array in C order. */
export interface NdArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
}

/** A malformed `.npy` stream; callers rethrow it with the file name. */
export class NpyFormatError extends Error {}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ALIGNMENT = 64;

// The typed-array views below use the host byte order, and the format here is little-endian.
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function checkHost(): void {
  if (!HOST_IS_LITTLE_ENDIAN) throw new UnsupportedError('.npy reading and writing requires a little-endian host');
}

/** Returns the dtype string of a typed array. */
export function dtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  return '<i4';
}

/** Returns the product of the dimensions: 1 for a 0-dimensional shape. */
export function shapeSize(shape: number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

function formatShape(shape: number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** Encodes an array as a version 1.0 `.npy` byte stream. */
export function encodeNpy(array: NdArray): Uint8Array {
  checkHost();
  if (dtypeOf(array.data) !== array.dtype) {
    throw new TypeError(`dtype ${array.dtype} does not match the data, a ${array.data.constructor.name}`);
  }
  if (shapeSize(array.shape) !== array.data.length) {
    throw new TypeError(`shape [${array.shape.join(', ')}] needs ${shapeSize(array.shape)} values; the data has ${array.data.length}`);
  }
  const dictionary = `{'descr': '${array.dtype}', 'fortran_order': False, 'shape': ${formatShape(array.shape)}, }`;
  // 10 bytes of magic, version and header length precede the header; the header ends with '\n'.
  const unpadded = 10 + dictionary.length + 1;
  const headerLength = dictionary.length + 1 + ((ALIGNMENT - (unpadded % ALIGNMENT)) % ALIGNMENT);
  if (headerLength > 0xffff) throw new UnsupportedError(`a .npy 1.0 header is limited to 65535 bytes; this one needs ${headerLength}`);

  const dataBytes = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  const out = new Uint8Array(10 + headerLength + dataBytes.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = headerLength & 0xff;
  out[9] = headerLength >> 8;
  const header = dictionary.padEnd(headerLength - 1, ' ') + '\n';
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(dataBytes, 10 + headerLength);
  return out;
}

function parseHeader(header: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shape) throw new NpyFormatError(`invalid .npy header: ${header.trim()}`);
  const dims = shape[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number(s.replace(/L$/, '')));
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw new NpyFormatError(`invalid shape in .npy header: (${shape[1]})`);
  return { descr: descr[1], fortranOrder: fortran[1] === 'True', shape: dims };
}

/**
 * Decodes a `.npy` byte stream (versions 1.0 to 3.0). The data is copied, so the result
 * does not share memory with `bytes`.
 * @throws NpyFormatError for a malformed stream; UnsupportedError for dtypes other than
 *   '<f4', '<f8' and '<i4', and for Fortran order.
 */
export function decodeNpy(bytes: Uint8Array): NdArray {
  checkHost();
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new NpyFormatError('missing .npy magic string');
  const major = bytes[6];
  let headerStart: number;
  let headerLength: number;
  if (major === 1) {
    headerStart = 10;
    headerLength = bytes[8] | (bytes[9] << 8);
  } else if (major === 2 || major === 3) {
    headerStart = 12;
    headerLength = new DataView(bytes.buffer, bytes.byteOffset + 8, 4).getUint32(0, true);
  } else {
    throw new UnsupportedError(`.npy format version ${major}.${bytes[7]} is not supported (1.0 to 3.0 are)`);
  }
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw new NpyFormatError('.npy header runs past the end of the data');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const { descr, fortranOrder, shape } = parseHeader(header);
  if (fortranOrder) throw new UnsupportedError('.npy arrays in Fortran order are not supported; save them in C order');

  const size = shapeSize(shape);
  const itemSize = descr === '<f8' ? 8 : 4;
  if (descr !== '<f4' && descr !== '<f8' && descr !== '<i4') {
    throw new UnsupportedError(`.npy dtype '${descr}' is not supported; expected '<f4', '<f8' or '<i4'`);
  }
  if (bytes.length - dataStart !== size * itemSize) {
    throw new NpyFormatError(
      `.npy data has ${bytes.length - dataStart} bytes; shape ${formatShape(shape)} of ${descr} needs ${size * itemSize}`,
    );
  }
  // Copy into a fresh, aligned buffer, because the data offset inside a ZIP member need not be
  // aligned. Buffer.slice would return a view, so the copy is explicit.
  const copy = new Uint8Array(bytes.length - dataStart);
  copy.set(bytes.subarray(dataStart));
  const buffer = copy.buffer;
  if (descr === '<f4') return { dtype: descr, shape, data: new Float32Array(buffer) };
  if (descr === '<f8') return { dtype: descr, shape, data: new Float64Array(buffer) };
  return { dtype: descr, shape, data: new Int32Array(buffer) };
}
