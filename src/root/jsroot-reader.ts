/**
 * Reading TTree branches into columns through jsroot. This is the only module that touches
 * jsroot: jsroot 7.11 ships no type declarations (its types.d.ts declares every module as
 * `any`), so the few members used here are described by the `Jsroot*` interfaces below and
 * the untyped values are assigned to them at this boundary.
 *
 * jsroot delivers one entry at a time through a TSelector. The functions here copy those
 * values into flat typed arrays, so callers see columns and never jsroot objects.
 */

import { stat } from 'node:fs/promises';
import {
  openFile as untypedOpenFile,
  TSelector as UntypedTSelector,
  treeProcess as untypedTreeProcess,
} from 'jsroot';
import { InputError, UnsupportedError } from '../errors.js';
import { rootMessages } from './messages.js';

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
  /** Called about every 1024 entries and once at the end, with entries done and the total. */
  onProgress?(done: number, total: number): void;
}

// ---- jsroot boundary: the members of jsroot 7.11 objects that this module uses ----

interface JsrootKey {
  fName: string;
  fCycle: number;
  fClassName: string;
}

interface JsrootLeaf {
  _typename: string;
  fLen: number;
  fIsUnsigned?: boolean;
  fLeafCount?: { fName: string } | null;
}

interface JsrootBranch {
  fName: string;
  fLeaves: { arr: JsrootLeaf[] };
}

interface JsrootTree {
  _typename: string;
  fEntries: number;
  fBranches: { arr: JsrootBranch[] };
}

interface JsrootFile {
  fKeys: JsrootKey[];
  /** Reads the highest cycle when the name has no `;cycle` suffix. */
  readObject(name: string): Promise<JsrootTree>;
}

type JsrootValue = number | boolean | ArrayLike<number>;

interface JsrootSelector {
  /** jsroot stores the current entry's value of each added branch here, under the branch name. */
  tgtobj: Record<string, JsrootValue>;
  addBranch(name: string): number;
  Process(entry: number): void;
  Abort(): void;
}

// The three jsroot entry points are `any`; these assignments give them the types above.
const openFile: (path: string) => Promise<JsrootFile> = untypedOpenFile;
const treeProcess: (tree: JsrootTree, selector: JsrootSelector) => Promise<unknown> = untypedTreeProcess;
function createSelector(): JsrootSelector {
  const selector: JsrootSelector = new UntypedTSelector();
  return selector;
}

// ---- opening ----

const TREE_CLASSES = new Set(['TTree', 'TNtuple', 'TNtupleD']);

interface OpenedTree {
  info: TreeInfo;
  tree: JsrootTree;
}

async function openRootFile(file: string): Promise<JsrootFile> {
  try {
    await stat(file);
  } catch (cause) {
    throw new InputError(rootMessages.fileNotFound(file), { file }, { cause });
  }
  try {
    return await openFile(file);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new InputError(rootMessages.fileUnreadable(file, reason), { file }, { cause });
  }
}

async function loadTree(file: string, treeName: string): Promise<OpenedTree> {
  const rootFile = await openRootFile(file);
  const keys = rootFile.fKeys ?? [];
  const treeNames = [...new Set(keys.filter((k) => TREE_CLASSES.has(k.fClassName)).map((k) => k.fName))];
  const key = keys.find((k) => k.fName === treeName);

  // A name with a directory part cannot be checked against the top-level keys, so jsroot looks it up.
  if (!key && !treeName.includes('/')) {
    throw new InputError(rootMessages.treeNotFound(file, treeName, treeNames), { file, tree: treeName });
  }
  if (key && !TREE_CLASSES.has(key.fClassName)) {
    throw new InputError(rootMessages.notATree(file, treeName, key.fClassName), { file, tree: treeName });
  }

  let tree: JsrootTree;
  try {
    tree = await rootFile.readObject(treeName);
  } catch (cause) {
    throw new InputError(rootMessages.treeNotFound(file, treeName, treeNames), { file, tree: treeName }, { cause });
  }
  if (!tree || !TREE_CLASSES.has(tree._typename)) {
    throw new InputError(rootMessages.notATree(file, treeName, tree?._typename ?? 'unknown object'), {
      file,
      tree: treeName,
    });
  }
  const branches = tree.fBranches.arr.map((b) => b.fName);
  return { info: { file, tree: treeName, numEntries: tree.fEntries, branches }, tree };
}

/**
 * Opens a ROOT file and returns the metadata of one tree.
 *
 * Without a `;cycle` suffix the highest cycle of the tree is used.
 * @throws InputError when the file is missing or unreadable, or the tree is not in it (the message lists the trees present).
 */
export async function openTree(file: string, tree: string): Promise<TreeInfo> {
  return (await loadTree(file, tree)).info;
}

// ---- reading ----

type ElementType = 'float32' | 'float64' | 'int32';

interface BranchPlan {
  name: string;
  type: ElementType;
  /** Name of the counter branch for a variable-length branch. */
  counter?: string;
}

function planBranch(info: TreeInfo, branch: JsrootBranch): BranchPlan {
  const context = { file: info.file, tree: info.tree, branch: branch.fName };
  const leaves = branch.fLeaves?.arr ?? [];
  if (leaves.length !== 1) {
    const what = leaves.length === 0 ? 'no leaves (an object branch)' : `a leaf list of ${leaves.length} leaves`;
    throw new UnsupportedError(rootMessages.unsupportedLeaf(info.file, info.tree, branch.fName, what), context);
  }
  const leaf = leaves[0];
  const counter = leaf.fLeafCount ? leaf.fLeafCount.fName : undefined;
  if (!counter && leaf.fLen > 1) {
    const what = `a fixed-size array of ${leaf.fLen} values per entry`;
    throw new UnsupportedError(rootMessages.unsupportedLeaf(info.file, info.tree, branch.fName, what), context);
  }

  let type: ElementType;
  switch (leaf._typename) {
    case 'TLeafF':
    case 'TLeafF16':
      type = 'float32';
      break;
    case 'TLeafD':
    case 'TLeafD32':
    // NOTE: 64-bit integers lose precision above 2^53 in a Float64Array.
    case 'TLeafL':
      type = 'float64';
      break;
    case 'TLeafI':
      // Unsigned 32-bit values above 2^31 do not fit an Int32Array.
      type = leaf.fIsUnsigned ? 'float64' : 'int32';
      break;
    case 'TLeafS':
    case 'TLeafB':
    case 'TLeafO':
      type = 'int32';
      break;
    default:
      throw new UnsupportedError(
        rootMessages.unsupportedLeaf(info.file, info.tree, branch.fName, `leaf type ${leaf._typename}`),
        context,
      );
  }
  return { name: branch.fName, type, counter };
}

function createFlatColumn(type: ElementType, length: number): FlatColumn {
  if (type === 'float32') return new Float32Array(length);
  if (type === 'float64') return new Float64Array(length);
  return new Int32Array(length);
}

/** A Float32Array that grows by doubling, for the values of one jagged branch. */
class GrowableFloat32 {
  data: Float32Array;
  length = 0;

  constructor(capacity: number) {
    this.data = new Float32Array(Math.max(capacity, 16));
  }

  append(values: ArrayLike<number>): void {
    const needed = this.length + values.length;
    if (needed > this.data.length) {
      const grown = new Float32Array(Math.max(needed, this.data.length * 2));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    for (let i = 0; i < values.length; i++) this.data[this.length + i] = values[i];
    this.length = needed;
  }

  finish(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/** Jagged branches that share one counter, read into one offsets array. */
interface CounterGroup {
  counter: string;
  branches: string[];
  buffers: GrowableFloat32[];
  offsets: Int32Array;
}

function lengthOf(value: JsrootValue | undefined): number {
  return value !== undefined && typeof value === 'object' ? value.length : 0;
}

/**
 * Reads branches of a tree into columns, over all entries.
 *
 * Scalar branches become flat typed arrays (float32 for `Float_t`, float64 for `Double_t`,
 * int32 for `Int_t` and smaller integers); variable-length branches become offsets plus
 * float32 values. A counter branch that is requested together with a variable-length branch
 * it counts is filled from that branch's lengths, because jsroot cannot read both at once.
 * Cost: one pass over all baskets of the requested branches.
 * @throws InputError naming file, tree and branch when a branch is missing (with the closest
 *   names), or when the number of entries delivered differs from the tree header.
 * @throws UnsupportedError for leaf lists, fixed-size arrays and leaf types other than numbers.
 */
export async function readBranches(
  file: string,
  treeName: string,
  branches: string[],
  options: ReadOptions = {},
): Promise<BranchColumns> {
  const { info, tree } = await loadTree(file, treeName);
  const byName = new Map(tree.fBranches.arr.map((b) => [b.fName, b]));
  const requested = [...new Set(branches)];
  for (const name of requested) {
    if (!byName.has(name)) {
      throw new InputError(rootMessages.branchNotFound(file, treeName, name, info.branches), {
        file,
        tree: treeName,
        branch: name,
      });
    }
  }

  const numEntries = info.numEntries;
  const plans = requested.map((name) => planBranch(info, byName.get(name) as JsrootBranch));
  const groups = new Map<string, CounterGroup>();
  for (const plan of plans) {
    if (plan.counter === undefined) continue;
    let group = groups.get(plan.counter);
    if (!group) {
      group = { counter: plan.counter, branches: [], buffers: [], offsets: new Int32Array(numEntries + 1) };
      groups.set(plan.counter, group);
    }
    group.branches.push(plan.name);
    group.buffers.push(new GrowableFloat32(numEntries * 8));
  }
  const flatPlans = plans.filter((p) => p.counter === undefined);
  const flat = new Map<string, FlatColumn>(flatPlans.map((p) => [p.name, createFlatColumn(p.type, numEntries)]));
  // Counters that are filled from their jagged branches' lengths instead of being read.
  const derivedCounters = flatPlans.filter((p) => groups.has(p.name)).map((p) => p.name);
  const readFlat = flatPlans.filter((p) => !groups.has(p.name)).map((p) => p.name);

  const jagged = new Map<string, JaggedColumn>();
  if (requested.length === 0 || numEntries === 0) {
    for (const group of groups.values()) {
      for (const name of group.branches) jagged.set(name, { offsets: group.offsets, values: new Float32Array(0) });
    }
    options.onProgress?.(0, numEntries);
    return { numEntries, flat, jagged };
  }

  const selector = createSelector();
  for (const name of readFlat) selector.addBranch(name);
  for (const group of groups.values()) for (const name of group.branches) selector.addBranch(name);

  const flatTargets = readFlat.map((name) => [name, flat.get(name) as FlatColumn] as const);
  const groupList = [...groups.values()];
  let entry = 0;
  let failure: InputError | undefined;

  selector.Process = () => {
    if (failure || entry >= numEntries) {
      entry++;
      return;
    }
    const values = selector.tgtobj;
    for (const [name, column] of flatTargets) column[entry] = Number(values[name]);
    for (const group of groupList) {
      const length = lengthOf(values[group.branches[0]]);
      for (let b = 0; b < group.branches.length; b++) {
        const value = values[group.branches[b]];
        if (lengthOf(value) !== length) {
          const message = rootMessages.jaggedLengthMismatch(
            file, treeName, entry, group.counter, group.branches[0], length, group.branches[b], lengthOf(value),
          );
          failure = new InputError(message, { file, tree: treeName, branch: group.branches[b], entryStart: entry, entryStop: entry + 1 });
          selector.Abort();
          return;
        }
        if (length > 0) group.buffers[b].append(value as ArrayLike<number>);
      }
      group.offsets[entry + 1] = group.offsets[entry] + length;
    }
    entry++;
    if (entry % 1024 === 0) options.onProgress?.(entry, numEntries);
  };

  try {
    await treeProcess(tree, selector);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new InputError(rootMessages.readFailed(file, treeName, reason), { file, tree: treeName }, { cause });
  }
  if (failure) throw failure;
  if (entry !== numEntries) {
    throw new InputError(rootMessages.entryCountMismatch(file, treeName, numEntries, entry), {
      file,
      tree: treeName,
      entryStart: 0,
      entryStop: numEntries,
    });
  }
  options.onProgress?.(numEntries, numEntries);

  for (const group of groupList) {
    group.branches.forEach((name, b) => jagged.set(name, { offsets: group.offsets, values: group.buffers[b].finish() }));
  }
  for (const name of derivedCounters) {
    const offsets = (groups.get(name) as CounterGroup).offsets;
    const column = flat.get(name) as FlatColumn;
    for (let i = 0; i < numEntries; i++) column[i] = offsets[i + 1] - offsets[i];
  }
  return { numEntries, flat, jagged };
}
