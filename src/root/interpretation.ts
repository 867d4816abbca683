/**
 * Interpretations: how the bytes of a branch's entries become numbers. Chosen from the
 * leaf classes and, for TBranchElement, the C++ class name; anything else is rejected with
 * an UnsupportedError that names the branch and its type.
 */

import { UnsupportedError } from '../errors.js';
import { rootMessages } from './messages.js';
import type { BranchMeta, LeafMeta, TreeMeta } from './tree-meta.js';

/** Element types of decoded columns. 64-bit integers become BigInt64Array or BigUint64Array, bools Uint8Array. */
export type Dtype =
  | 'bool' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64';

/**
 * Packed floating-point storage of Float16_t and Double32_t: with a range [min, max) the
 * value is stored as an unsigned 32-bit integer u and read as `min + u / factor`; without
 * one, either as a float32 or as an 8-bit exponent and 16-bit mantissa truncated to `bits`.
 */
export type Packing =
  | { kind: 'range'; min: number; factor: number }
  | { kind: 'mantissa'; bits: number }
  | { kind: 'float32' };

/** The type of one stored value. */
export interface ElementType {
  /** The type of the decoded values. */
  dtype: Dtype;
  /** Bytes per value in the basket. */
  storedBytes: number;
  packing?: Packing;
  /** The ROOT or C++ type, for messages. */
  typeName: string;
}

/** A field of a leaf list: `fieldLength` values of `element` at `byteOffset` within each entry. */
export interface LeafListField {
  name: string;
  element: ElementType;
  fieldLength: number;
  byteOffset: number;
}

/** How to decode the entries of a branch. */
export type Interpretation =
  /** `itemsPerEntry` values per entry (1 for scalars, the product of dimensions for fixed arrays). */
  | { kind: 'flat'; element: ElementType; itemsPerEntry: number }
  /** A leaf-count array (`Jet_pt[nJet]`), each element `itemsPerElement` values. */
  | { kind: 'jagged'; element: ElementType; itemsPerElement: number; counterBranch: string }
  /** `std::vector<T>`: a 10-byte header (byte count, version, length) before the values of each entry. */
  | { kind: 'vector'; element: ElementType }
  /** `std::vector<std::vector<T>>`: a 6-byte header, the outer length, then a length and values per inner vector. */
  | { kind: 'vector-vector'; element: ElementType }
  /** A leaf list (`x/D:y/I:z/B`): fixed-size fields side by side in each entry. */
  | { kind: 'leaflist'; fields: LeafListField[]; entryBytes: number };

const PLAIN: Record<Dtype, number> = {
  bool: 1, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, float32: 4, float64: 8,
};

function plain(dtype: Dtype, typeName: string): ElementType {
  return { dtype, storedBytes: PLAIN[dtype], typeName };
}

function parseRangeValue(text: string): number {
  const value = text.trim().toLowerCase().replace(/\s+/g, '');
  const sign = value.startsWith('-') ? -1 : 1;
  const magnitude = value.replace(/^[-+]/, '');
  const piForms: Record<string, number> = {
    pi: Math.PI, '2pi': 2 * Math.PI, '2*pi': 2 * Math.PI, twopi: 2 * Math.PI, 'pi/2': Math.PI / 2, 'pi/4': Math.PI / 4,
  };
  if (magnitude in piForms) return sign * piForms[magnitude];
  return Number(value);
}

/** Reads the `[min,max]` or `[min,max,bits]` range of a Float16_t or Double32_t leaf from its title. */
function packingOf(title: string, isDouble32: boolean): Packing {
  const match = /\[([^\]]*,[^\]]*)\]/.exec(title);
  const fallback: Packing = isDouble32 ? { kind: 'float32' } : { kind: 'mantissa', bits: 12 };
  if (!match) return fallback;
  const parts = match[1].split(',');
  const min = parseRangeValue(parts[0]);
  const max = parseRangeValue(parts[1]);
  let bits = parts.length > 2 ? Number.parseInt(parts[2], 10) : 32;
  if (!Number.isFinite(bits) || bits < 2 || bits > 32) bits = 32;
  if (Number.isFinite(min) && Number.isFinite(max) && min < max) {
    // As in ROOT's TStreamerElement::GetRange: 2^bits steps, or 0xffffffff for 32 bits.
    const steps = bits < 32 ? 2 ** bits : 0xffffffff;
    return { kind: 'range', min, factor: steps / (max - min) };
  }
  if (bits < 15) return { kind: 'mantissa', bits };
  return fallback;
}

function leafElement(leaf: LeafMeta): ElementType | undefined {
  const signed = !leaf.isUnsigned;
  switch (leaf.className) {
    case 'TLeafO': return plain('bool', 'Bool_t');
    case 'TLeafB': return signed ? plain('int8', 'Char_t') : plain('uint8', 'UChar_t');
    case 'TLeafS': return signed ? plain('int16', 'Short_t') : plain('uint16', 'UShort_t');
    case 'TLeafI': return signed ? plain('int32', 'Int_t') : plain('uint32', 'UInt_t');
    case 'TLeafL':
    case 'TLeafG': return signed ? plain('int64', 'Long64_t') : plain('uint64', 'ULong64_t');
    case 'TLeafF': return plain('float32', 'Float_t');
    case 'TLeafD': return plain('float64', 'Double_t');
    case 'TLeafF16': {
      const packing = packingOf(leaf.title, false);
      return { dtype: 'float32', storedBytes: packing.kind === 'mantissa' ? 3 : 4, packing, typeName: `Float16_t ${leaf.title}` };
    }
    case 'TLeafD32': {
      const packing = packingOf(leaf.title, true);
      return { dtype: 'float64', storedBytes: packing.kind === 'mantissa' ? 3 : 4, packing, typeName: `Double32_t ${leaf.title}` };
    }
    default:
      return undefined;
  }
}

const CPP_TYPES: Record<string, Dtype> = {
  bool: 'bool', Bool_t: 'bool',
  char: 'int8', Char_t: 'int8', 'signed char': 'int8', 'unsigned char': 'uint8', UChar_t: 'uint8',
  short: 'int16', Short_t: 'int16', 'unsigned short': 'uint16', UShort_t: 'uint16',
  int: 'int32', Int_t: 'int32', 'unsigned int': 'uint32', UInt_t: 'uint32', unsigned: 'uint32',
  long: 'int64', Long_t: 'int64', 'long long': 'int64', Long64_t: 'int64',
  'unsigned long': 'uint64', ULong_t: 'uint64', 'unsigned long long': 'uint64', ULong64_t: 'uint64',
  float: 'float32', Float_t: 'float32', double: 'float64', Double_t: 'float64',
};

/** Splits `vector<vector<double> >` into its element type and nesting depth. */
function vectorOf(className: string): { inner: string; depth: number } | undefined {
  let name = className.replace(/\s+/g, ' ').trim();
  let depth = 0;
  for (;;) {
    const match = /^(?:std::)?vector\s*<\s*(.*?)\s*>$/.exec(name);
    if (!match) break;
    name = match[1];
    depth++;
  }
  return depth > 0 ? { inner: name, depth } : undefined;
}

function unsupported(tree: TreeMeta, branch: BranchMeta, what: string): UnsupportedError {
  return new UnsupportedError(rootMessages.unsupportedBranch(tree.file, tree.path, branch.name, what), {
    file: tree.file,
    tree: tree.path,
    branch: branch.name,
  });
}

function interpretElementBranch(tree: TreeMeta, branch: BranchMeta): Interpretation {
  const className = branch.objectClass ?? '';
  const vector = vectorOf(className);
  const dtype = vector ? CPP_TYPES[vector.inner] : undefined;
  if (!vector || !dtype || vector.depth > 2 || branch.subBranches.length > 0) {
    throw unsupported(tree, branch, `the type ${className || 'unknown'} (only std::vector and std::vector<std::vector> of numbers are supported)`);
  }
  const element = plain(dtype, vector.inner);
  return vector.depth === 1 ? { kind: 'vector', element } : { kind: 'vector-vector', element };
}

function interpretLeafList(tree: TreeMeta, branch: BranchMeta): Interpretation {
  const fields: LeafListField[] = [];
  let entryBytes = 0;
  for (const leaf of branch.leaves) {
    const element = leafElement(leaf);
    if (!element || leaf.countLeaf) {
      throw unsupported(tree, branch, `a leaf list with the leaf '${leaf.name}' of type ${leaf.className}${leaf.countLeaf ? ` counted by '${leaf.countLeaf}'` : ''}`);
    }
    fields.push({ name: leaf.name, element, fieldLength: leaf.length, byteOffset: entryBytes });
    entryBytes += element.storedBytes * leaf.length;
  }
  return { kind: 'leaflist', fields, entryBytes };
}

/**
 * Chooses the interpretation of a branch.
 * @throws UnsupportedError for strings, objects, split classes and other types that are not numbers.
 */
export function interpretBranch(tree: TreeMeta, branch: BranchMeta): Interpretation {
  if (branch.className === 'TBranchElement') return interpretElementBranch(tree, branch);
  if (branch.className !== 'TBranch') throw unsupported(tree, branch, `the branch class ${branch.className}`);
  if (branch.leaves.length === 0) throw unsupported(tree, branch, 'no leaves');
  if (branch.leaves.length > 1) return interpretLeafList(tree, branch);

  const leaf = branch.leaves[0];
  const element = leafElement(leaf);
  if (!element) {
    const what = leaf.className === 'TLeafC' ? 'a string (TLeafC)' : `the leaf type ${leaf.className}`;
    throw unsupported(tree, branch, what);
  }
  if (!leaf.countLeaf) return { kind: 'flat', element, itemsPerEntry: Math.max(1, leaf.length) };
  const counterBranch = tree.leafBranch.get(leaf.countLeaf);
  if (!counterBranch) throw unsupported(tree, branch, `a counter leaf '${leaf.countLeaf}' that is in no branch`);
  return { kind: 'jagged', element, itemsPerElement: Math.max(1, leaf.length), counterBranch };
}

/** Describes an interpretation for messages and listings, such as `float32[nJet]` or `vector<float>`. */
export function describeInterpretation(interpretation: Interpretation): string {
  switch (interpretation.kind) {
    case 'flat':
      return interpretation.itemsPerEntry > 1 ? `${interpretation.element.dtype}[${interpretation.itemsPerEntry}]` : interpretation.element.dtype;
    case 'jagged':
      return `${interpretation.element.dtype}[${interpretation.counterBranch}]${interpretation.itemsPerElement > 1 ? `[${interpretation.itemsPerElement}]` : ''}`;
    case 'vector':
      return `vector<${interpretation.element.dtype}>`;
    case 'vector-vector':
      return `vector<vector<${interpretation.element.dtype}>>`;
    case 'leaflist':
      return `{${interpretation.fields.map((f) => `${f.name}: ${f.element.dtype}`).join(', ')}}`;
  }
}
