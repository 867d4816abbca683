/** The numeric branch types that the writer supports, and how ROOT names and stores each. */

export type LeafType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool' | 'uint8';

/** Values of one branch for a run of entries; `bool` branches take 0 or 1 per byte. */
export type ColumnValues = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

export interface LeafTypeInfo {
  /** The TLeaf subclass. */
  className: string;
  /** Type letter in a branch title, as in `pt/F`. */
  letter: string;
  /** Bytes per value (fLenType). */
  size: number;
  unsigned: boolean;
  /** Name of the typed array that holds values of this type. */
  arrayName: string;
  isColumn(values: ColumnValues): boolean;
}

export const leafTypes: Readonly<Record<LeafType, LeafTypeInfo>> = {
  float32: { className: 'TLeafF', letter: 'F', size: 4, unsigned: false, arrayName: 'Float32Array', isColumn: (v) => v instanceof Float32Array },
  float64: { className: 'TLeafD', letter: 'D', size: 8, unsigned: false, arrayName: 'Float64Array', isColumn: (v) => v instanceof Float64Array },
  int32: { className: 'TLeafI', letter: 'I', size: 4, unsigned: false, arrayName: 'Int32Array', isColumn: (v) => v instanceof Int32Array },
  int64: { className: 'TLeafL', letter: 'L', size: 8, unsigned: false, arrayName: 'BigInt64Array', isColumn: (v) => v instanceof BigInt64Array },
  bool: { className: 'TLeafO', letter: 'O', size: 1, unsigned: false, arrayName: 'Uint8Array', isColumn: (v) => v instanceof Uint8Array },
  uint8: { className: 'TLeafB', letter: 'b', size: 1, unsigned: true, arrayName: 'Uint8Array', isColumn: (v) => v instanceof Uint8Array },
};

/** Copies `values` into big-endian bytes, the byte order of ROOT baskets. */
export function toBigEndian(values: ColumnValues, type: LeafType): Uint8Array {
  const size = leafTypes[type].size;
  const bytes = new Uint8Array(values.length * size);
  if (size === 1) {
    if (type === 'bool') {
      for (let i = 0; i < values.length; i++) bytes[i] = values[i] ? 1 : 0;
    } else {
      bytes.set(values as Uint8Array);
    }
    return bytes;
  }
  bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.length * size));
  // Typed arrays use the platform's byte order; reverse each value unless it is big-endian already.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) {
    for (let start = 0; start < bytes.length; start += size) {
      for (let low = start, high = start + size - 1; low < high; low++, high--) {
        const swap = bytes[low];
        bytes[low] = bytes[high];
        bytes[high] = swap;
      }
    }
  }
  return bytes;
}
