/**
 * Turning the decoded baskets of one branch into a column for an entry range
 * [entryStart, entryStop): flat values, offsets plus values for leaf-count arrays and
 * std::vector, two levels of offsets for vectors of vectors, one column per field for leaf
 * lists. Jagged baskets written without an entry offset table get their offsets from the
 * counter branch.
 */

import { entryLayoutError, loadBaskets, type LoadedBasket, type ReadContext } from './basket-loader.js';
import { decodeSlices, type NumericArray } from './decode.js';
import { InputError, UnsupportedError } from '../errors.js';
import type { ElementType, Interpretation } from './interpretation.js';
import { rootMessages } from './messages.js';
import type { BranchMeta } from './tree-meta.js';

/** A decoded column over an entry range. */
export type Column =
  /** `itemsPerEntry` values per entry, [entries * itemsPerEntry]. */
  | { kind: 'flat'; values: NumericArray; itemsPerEntry: number }
  /** Entry i holds elements offsets[i] .. offsets[i + 1] - 1; element j is values[j * itemsPerElement ...]. offsets: [entries + 1], starting at 0. */
  | { kind: 'jagged'; offsets: Int32Array; values: NumericArray; itemsPerElement: number }
  /** Entry i holds inner lists offsets[i] .. offsets[i + 1] - 1; inner list k holds values innerOffsets[k] .. innerOffsets[k + 1] - 1. */
  | { kind: 'jagged2'; offsets: Int32Array; innerOffsets: Int32Array; values: NumericArray }
  /** A leaf list: one flat column per leaf, keyed by leaf name. */
  | { kind: 'record'; fields: Map<string, Column> };

/** Reads the per-entry counts of a counter branch, for baskets without an entry offset table. */
export type CountReader = (counterBranch: string, entryStart: number, entryStop: number) => Promise<NumericArray>;

interface Selection {
  /** First and last (excluded) entry of the basket that lie in the requested range, relative to the basket. */
  first: number;
  stop: number;
}

function select(basket: LoadedBasket, entryStart: number, entryStop: number): Selection {
  return {
    first: Math.max(entryStart, basket.meta.entryStart) - basket.meta.entryStart,
    stop: Math.min(entryStop, basket.meta.entryStop) - basket.meta.entryStart,
  };
}

function checkElementCount(total: number, context: ReadContext, branch: BranchMeta): void {
  if (total > 0x7fffffff) {
    throw new UnsupportedError(rootMessages.columnTooLarge(context.tree.file, context.tree.path, branch.name, total), {
      file: context.tree.file,
      tree: context.tree.path,
      branch: branch.name,
    });
  }
}

function readFixed(context: ReadContext, branch: BranchMeta, baskets: LoadedBasket[], entryBytes: number, entryStart: number, entryStop: number): Uint8Array[] {
  const slices: Uint8Array[] = [];
  for (const basket of baskets) {
    const { data, numEntries } = basket.content;
    if (data.length !== numEntries * entryBytes) {
      throw entryLayoutError(context, branch, basket, `it has ${data.length} bytes of data for ${numEntries} entries of ${entryBytes} bytes`);
    }
    const { first, stop } = select(basket, entryStart, entryStop);
    slices.push(data.subarray(first * entryBytes, stop * entryBytes));
  }
  return slices;
}

async function byteOffsets(
  context: ReadContext, branch: BranchMeta, basket: LoadedBasket, elementBytes: number, counterBranch: string, readCounts: CountReader,
): Promise<Int32Array> {
  if (basket.content.entryOffsets) return basket.content.entryOffsets;
  // Without an offset table the entry sizes follow from the counter branch.
  const counts = await readCounts(counterBranch, basket.meta.entryStart, basket.meta.entryStop);
  const offsets = new Int32Array(counts.length + 1);
  for (let i = 0; i < counts.length; i++) {
    const count = Number(counts[i]);
    if (count < 0) throw entryLayoutError(context, branch, basket, `counter '${counterBranch}' is ${count} at entry ${basket.meta.entryStart + i}`);
    offsets[i + 1] = offsets[i] + count * elementBytes;
  }
  if (offsets[counts.length] !== basket.content.data.length) {
    throw entryLayoutError(context, branch, basket,
      `counter '${counterBranch}' gives ${offsets[counts.length]} bytes of data, the basket has ${basket.content.data.length}`);
  }
  return offsets;
}

async function readJagged(
  context: ReadContext, branch: BranchMeta, baskets: LoadedBasket[], element: ElementType, itemsPerElement: number,
  counterBranch: string, readCounts: CountReader, entryStart: number, entryStop: number,
): Promise<Column> {
  const elementBytes = element.storedBytes * itemsPerElement;
  const offsets = new Int32Array(entryStop - entryStart + 1);
  const slices: Uint8Array[] = [];
  let entry = 0;
  let numElements = 0;
  let totalBytes = 0;
  for (const basket of baskets) {
    const table = await byteOffsets(context, branch, basket, elementBytes, counterBranch, readCounts);
    const { first, stop } = select(basket, entryStart, entryStop);
    for (let i = first; i < stop; i++) {
      const size = table[i + 1] - table[i];
      if (size % elementBytes !== 0) {
        throw entryLayoutError(context, branch, basket, `entry ${basket.meta.entryStart + i} has ${size} bytes, not a multiple of ${elementBytes}`);
      }
      numElements += size / elementBytes;
      offsets[entry + 1] = numElements;
      entry++;
    }
    slices.push(basket.content.data.subarray(table[first], table[stop]));
    totalBytes += table[stop] - table[first];
  }
  checkElementCount(numElements, context, branch);
  return { kind: 'jagged', offsets, values: decodeSlices(slices, totalBytes, element), itemsPerElement };
}

function requireTable(context: ReadContext, branch: BranchMeta, basket: LoadedBasket): Int32Array {
  if (!basket.content.entryOffsets) throw entryLayoutError(context, branch, basket, 'it has no entry offset table, which std::vector entries need');
  return basket.content.entryOffsets;
}

/** std::vector<T>: each entry is a 4-byte byte count, a 2-byte version, a 4-byte length and the values. */
function readVector(context: ReadContext, branch: BranchMeta, baskets: LoadedBasket[], element: ElementType, entryStart: number, entryStop: number): Column {
  const offsets = new Int32Array(entryStop - entryStart + 1);
  const slices: Uint8Array[] = [];
  let entry = 0;
  let numElements = 0;
  let totalBytes = 0;
  for (const basket of baskets) {
    const table = requireTable(context, branch, basket);
    const { data } = basket.content;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const { first, stop } = select(basket, entryStart, entryStop);
    for (let i = first; i < stop; i++) {
      const size = table[i + 1] - table[i];
      const length = size >= 10 ? view.getInt32(table[i] + 6) : -1;
      if (length < 0 || 10 + length * element.storedBytes !== size) {
        throw entryLayoutError(context, branch, basket, `entry ${basket.meta.entryStart + i} has ${size} bytes, which is no std::vector of ${element.typeName}`);
      }
      slices.push(data.subarray(table[i] + 10, table[i + 1]));
      totalBytes += size - 10;
      numElements += length;
      offsets[entry + 1] = numElements;
      entry++;
    }
  }
  checkElementCount(numElements, context, branch);
  return { kind: 'jagged', offsets, values: decodeSlices(slices, totalBytes, element), itemsPerElement: 1 };
}

/** std::vector<std::vector<T>>: a byte count and version, the outer length, then a length and the values of each inner vector. */
function readVectorVector(context: ReadContext, branch: BranchMeta, baskets: LoadedBasket[], element: ElementType, entryStart: number, entryStop: number): Column {
  const offsets = new Int32Array(entryStop - entryStart + 1);
  const inner: number[] = [0];
  const slices: Uint8Array[] = [];
  let entry = 0;
  let totalBytes = 0;
  for (const basket of baskets) {
    const table = requireTable(context, branch, basket);
    const { data } = basket.content;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const { first, stop } = select(basket, entryStart, entryStop);
    for (let i = first; i < stop; i++) {
      const end = table[i + 1];
      let position = table[i] + 6;
      const fail = (): InputError =>
        entryLayoutError(context, branch, basket, `entry ${basket.meta.entryStart + i} is no std::vector<std::vector<${element.typeName}>>`);
      if (position + 4 > end) throw fail();
      const numInner = view.getInt32(position);
      position += 4;
      if (numInner < 0) throw fail();
      for (let k = 0; k < numInner; k++) {
        if (position + 4 > end) throw fail();
        const length = view.getInt32(position);
        position += 4;
        const bytes = length * element.storedBytes;
        if (length < 0 || position + bytes > end) throw fail();
        slices.push(data.subarray(position, position + bytes));
        totalBytes += bytes;
        position += bytes;
        inner.push(inner[inner.length - 1] + length);
      }
      if (position !== end) throw fail();
      offsets[entry + 1] = offsets[entry] + numInner;
      entry++;
    }
  }
  checkElementCount(inner[inner.length - 1], context, branch);
  return { kind: 'jagged2', offsets, innerOffsets: Int32Array.from(inner), values: decodeSlices(slices, totalBytes, element) };
}

function readLeafList(
  context: ReadContext, branch: BranchMeta, baskets: LoadedBasket[], interpretation: Extract<Interpretation, { kind: 'leaflist' }>,
  entryStart: number, entryStop: number,
): Column {
  const rows = readFixed(context, branch, baskets, interpretation.entryBytes, entryStart, entryStop);
  const numEntries = entryStop - entryStart;
  const fields = new Map<string, Column>();
  for (const field of interpretation.fields) {
    const fieldBytes = field.element.storedBytes * field.fieldLength;
    const gathered = new Uint8Array(numEntries * fieldBytes);
    let entry = 0;
    for (const slice of rows) {
      for (let row = 0; row < slice.length; row += interpretation.entryBytes) {
        gathered.set(slice.subarray(row + field.byteOffset, row + field.byteOffset + fieldBytes), entry * fieldBytes);
        entry++;
      }
    }
    fields.set(field.name, { kind: 'flat', values: decodeSlices([gathered], gathered.length, field.element), itemsPerEntry: field.fieldLength });
  }
  return { kind: 'record', fields };
}

/**
 * Reads one branch over entries [entryStart, entryStop) into a column.
 * @throws InputError for damaged baskets or entries that do not fit the interpretation.
 */
export async function readColumn(
  context: ReadContext, branch: BranchMeta, interpretation: Interpretation, entryStart: number, entryStop: number, readCounts: CountReader,
): Promise<Column> {
  const baskets = entryStop > entryStart ? await loadBaskets(context, branch, entryStart, entryStop) : [];
  switch (interpretation.kind) {
    case 'flat': {
      const entryBytes = interpretation.element.storedBytes * interpretation.itemsPerEntry;
      const slices = readFixed(context, branch, baskets, entryBytes, entryStart, entryStop);
      const values = decodeSlices(slices, (entryStop - entryStart) * entryBytes, interpretation.element);
      return { kind: 'flat', values, itemsPerEntry: interpretation.itemsPerEntry };
    }
    case 'jagged':
      return readJagged(context, branch, baskets, interpretation.element, interpretation.itemsPerElement,
        interpretation.counterBranch, readCounts, entryStart, entryStop);
    case 'vector':
      return readVector(context, branch, baskets, interpretation.element, entryStart, entryStop);
    case 'vector-vector':
      return readVectorVector(context, branch, baskets, interpretation.element, entryStart, entryStop);
    case 'leaflist':
      return readLeafList(context, branch, baskets, interpretation, entryStart, entryStop);
  }
}
