/**
 * The whole-file reading API that the processing stage uses: `openTree` and `readBranches`
 * return every entry of a tree as flat float32/float64/int32 columns and float32 jagged
 * columns. Both are thin layers over {@link RootFile}; new code that needs other element
 * types, entry ranges or chunks should use RootFile and RootTree directly.
 */

import { InputError, UnsupportedError } from '../errors.js';
import type { Column } from './column-builder.js';
import type { NumericArray } from './decode.js';
import type { Interpretation } from './interpretation.js';
import { rootMessages } from './messages.js';
import { RootFile, type RootTree } from './root-file.js';

/** Metadata of one TTree. */
export interface TreeInfo {
  file: string;
  tree: string;
  /** Entries according to the tree header (`fEntries`). */
  numEntries: number;
  /** Names of the top-level branches, in file order. */
  branches: string[];
}

/** A flat column: one value per entry. */
export type FlatColumn = Float32Array | Float64Array | Int32Array;

/** A jagged column: the values of entry i are `values[offsets[i]] .. values[offsets[i + 1] - 1]`. */
export interface JaggedColumn {
  /** [entries + 1], starting at 0. */
  offsets: Int32Array;
  values: Float32Array;
}

/** Branches read from one tree, as columns over all its entries. */
export interface BranchColumns {
  numEntries: number;
  /** One value per entry, keyed by branch name. */
  flat: Map<string, FlatColumn>;
  /** Variable-length branches keyed by branch name; branches with the same counter share one `offsets` array. */
  jagged: Map<string, JaggedColumn>;
}

export interface ReadOptions {
  /** Called before reading with (0, total) and after it with (total, total), in entries. */
  onProgress?(done: number, total: number): void;
}

async function withTree<T>(file: string, tree: string, use: (rootTree: RootTree) => Promise<T>): Promise<T> {
  const rootFile = await RootFile.open(file);
  try {
    return await use(await rootFile.tree(tree));
  } finally {
    await rootFile.close();
  }
}

/**
 * Opens a ROOT file and returns the metadata of one tree.
 *
 * Without a `;cycle` suffix the highest cycle of the tree is used; a path such as `dir/tree`
 * reads a tree in a subdirectory.
 * @throws InputError when the file is missing or unreadable, or the tree is not in it (the message lists the trees present).
 */
export async function openTree(file: string, tree: string): Promise<TreeInfo> {
  return withTree(file, tree, async (rootTree) => ({
    file,
    tree,
    numEntries: rootTree.numEntries,
    branches: rootTree.branchNames,
  }));
}

function toFlat(values: NumericArray): FlatColumn {
  if (values instanceof Float32Array || values instanceof Float64Array || values instanceof Int32Array) return values;
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    // NOTE: 64-bit integers lose precision above 2^53 in a Float64Array.
    return Float64Array.from(values, (v) => Number(v));
  }
  // Unsigned 32-bit values above 2^31 do not fit an Int32Array.
  if (values instanceof Uint32Array) return Float64Array.from(values);
  return Int32Array.from(values);
}

function toFloat32(values: NumericArray): Float32Array {
  if (values instanceof Float32Array) return values;
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) return Float32Array.from(values, (v) => Number(v));
  return Float32Array.from(values);
}

function sameOffsets(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function unsupportedShape(tree: RootTree, name: string, what: string): UnsupportedError {
  return new UnsupportedError(rootMessages.unsupportedColumn(tree.file, tree.path, name, what), {
    file: tree.file,
    tree: tree.path,
    branch: name,
  });
}

function checkShape(tree: RootTree, name: string, interpretation: Interpretation): void {
  if (interpretation.kind === 'flat' && interpretation.itemsPerEntry > 1) {
    throw unsupportedShape(tree, name, `a fixed-size array of ${interpretation.itemsPerEntry} values per entry`);
  }
  if (interpretation.kind === 'jagged' && interpretation.itemsPerElement > 1) {
    throw unsupportedShape(tree, name, `an array of ${interpretation.itemsPerElement} values per element`);
  }
  if (interpretation.kind === 'leaflist') throw unsupportedShape(tree, name, `a leaf list of ${interpretation.fields.length} leaves`);
  if (interpretation.kind === 'vector-vector') throw unsupportedShape(tree, name, 'a vector of vectors');
}

/**
 * Reads branches of a tree into columns, over all entries.
 *
 * Scalar branches become flat typed arrays (float32 for `Float_t` and `Float16_t`, float64 for
 * `Double_t`, `Double32_t`, 64-bit and unsigned 32-bit integers, int32 for smaller integers
 * and bools); variable-length branches (leaf-count arrays and `std::vector`) become offsets
 * plus float32 values. Cost: one read of each basket of the requested branches.
 * @throws InputError naming file, tree and branch when a branch is missing (with the closest
 *   names), or a basket is damaged.
 * @throws UnsupportedError for leaf lists, fixed-size arrays, vectors of vectors and types other than numbers.
 */
export async function readBranches(file: string, treeName: string, branches: string[], options: ReadOptions = {}): Promise<BranchColumns> {
  return withTree(file, treeName, async (tree) => {
    const requested = [...new Set(branches)];
    const interpretations = requested.map((name) => tree.interpretation(name));
    requested.forEach((name, i) => checkShape(tree, name, interpretations[i]));

    const numEntries = tree.numEntries;
    options.onProgress?.(0, numEntries);
    const { columns } = await tree.arrays(requested);

    const flat = new Map<string, FlatColumn>();
    const jagged = new Map<string, JaggedColumn>();
    const offsetsByCounter = new Map<string, { branch: string; offsets: Int32Array }>();
    requested.forEach((name, i) => {
      const column = columns.get(name) as Column;
      const interpretation = interpretations[i];
      if (column.kind === 'flat') {
        flat.set(name, toFlat(column.values));
        return;
      }
      if (column.kind !== 'jagged') return;
      let offsets = column.offsets;
      if (interpretation.kind === 'jagged') {
        const shared = offsetsByCounter.get(interpretation.counterBranch);
        if (!shared) {
          offsetsByCounter.set(interpretation.counterBranch, { branch: name, offsets });
        } else if (sameOffsets(shared.offsets, offsets)) {
          offsets = shared.offsets;
        } else {
          throw new InputError(rootMessages.counterMismatch(file, treeName, interpretation.counterBranch, shared.branch, name), {
            file,
            tree: treeName,
            branch: name,
          });
        }
      }
      jagged.set(name, { offsets, values: toFloat32(column.values) });
    });
    options.onProgress?.(numEntries, numEntries);
    return { numEntries, flat, jagged };
  });
}
