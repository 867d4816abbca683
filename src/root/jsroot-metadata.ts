/**
 * The jsroot boundary: jsroot 7.11 parses keys, streamer info and the TTree and TBranch
 * objects, reading bytes through bhive's ByteSource, and this module turns them into the
 * plain descriptions of tree-meta.ts. jsroot ships no type declarations (its types.d.ts
 * declares every module as `any`), so the members used here are described by the
 * `Jsroot*` interfaces and the untyped values are assigned to them at this boundary.
 * Baskets are never decoded by jsroot.
 */

import { FileProxy as UntypedFileProxy, openFile as untypedOpenFile, TBuffer as UntypedTBuffer } from 'jsroot/io';
import { InputError } from '../errors.js';
import type { ByteSource } from './byte-source.js';
import { type Decompressors, decompressObject } from './compression.js';
import { rootMessages } from './messages.js';
import type { BasketMeta, BranchMeta, KeyInfo, LeafMeta, TreeMeta } from './tree-meta.js';

// ---- the members of jsroot 7.11 objects that this module uses ----

interface JsrootKey {
  fName: string;
  fCycle: number;
  fClassName: string;
  fTitle?: string;
  fSeekKey: number;
  fKeylen: number;
  fNbytes: number;
  fObjlen: number;
}

/** jsroot's TBuffer over a DataView, positioned at the start of an object. */
interface JsrootBuffer {
  fTagOffset: number;
}

interface JsrootLeaf {
  _typename: string;
  fName: string;
  fTitle?: string;
  fLen: number;
  fIsUnsigned?: boolean;
  fLeafCount?: { fName: string } | null;
}

interface JsrootBufferView {
  /** A DataView over the uncompressed data of an embedded basket. */
  arr?: DataView;
}

interface JsrootBasket {
  fNevBuf: number;
  fKeylen: number;
  fBufferRef?: JsrootBufferView | null;
  fEntryOffset?: ArrayLike<number>;
}

interface JsrootBranch {
  _typename: string;
  fName: string;
  fTitle?: string;
  fClassName?: string;
  fStreamerType?: number;
  fEntries: number;
  fEntryOffsetLen: number;
  fWriteBasket: number;
  fBasketSeek?: ArrayLike<number>;
  fBasketBytes?: ArrayLike<number>;
  fBasketEntry?: ArrayLike<number>;
  fBaskets?: { arr?: Array<JsrootBasket | null> };
  fLeaves?: { arr?: JsrootLeaf[] };
  fBranches?: { arr?: JsrootBranch[] };
}

interface JsrootTree {
  _typename: string;
  fEntries: number;
  fBranches: { arr: JsrootBranch[] };
}

interface JsrootDirectory {
  fKeys: JsrootKey[];
}

/** The part of jsroot's TFile used here. */
export interface JsrootFile {
  fKeys: JsrootKey[];
  readObject(name: string, cycle?: number): Promise<unknown>;
  readDirectory(name: string, cycle?: number): Promise<JsrootDirectory>;
  readObjBuffer(key: JsrootKey): Promise<JsrootBuffer>;
}

const openFile: (proxy: object) => Promise<JsrootFile> = untypedOpenFile;
const TBuffer: new (view: DataView, position: number, file: JsrootFile, length?: number) => JsrootBuffer = UntypedTBuffer;
// jsroot recognises a proxy by `instanceof FileProxy`, so the proxy extends jsroot's class.
const FileProxyBase: new () => object = UntypedFileProxy;

/** Serves a ByteSource to jsroot, with a negative header version shown as its absolute value. */
class SourceProxy extends FileProxyBase {
  constructor(
    private readonly source: ByteSource,
    private readonly patchVersion: boolean,
  ) {
    super();
  }

  async openFile(): Promise<boolean> {
    return true;
  }

  getFileName(): string {
    return this.source.location;
  }

  getFileSize(): number {
    return this.source.size;
  }

  async readBuffer(position: number, length: number): Promise<DataView> {
    // jsroot requests 400 header bytes even from smaller files.
    const bytes = await this.source.read(position, Math.max(0, Math.min(length, this.source.size - position)));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // ROOT reads fVersion as a signed integer, and a negative value still means 32-bit seeks.
    // jsroot reads it unsigned and would choose the 64-bit layout, so it gets the absolute value.
    if (this.patchVersion && position === 0 && bytes.length >= 8) view.setInt32(4, Math.abs(view.getInt32(4)));
    return view;
  }
}

/**
 * Makes jsroot decompress keyed objects (directories, streamer info, TTrees) with bhive's
 * native decompressors instead of its JavaScript inflate and LZMA decoders, which are slow
 * (about 1 MB/s for LZMA) and can spend many seconds on damaged data before failing.
 * jsroot calls `readObjBuffer(key)` for every keyed object; this replaces it on one file object.
 */
function useNativeObjectDecompression(file: JsrootFile, source: ByteSource, decompressors: Decompressors): void {
  file.readObjBuffer = async (key: JsrootKey): Promise<JsrootBuffer> => {
    const stored = await source.read(key.fSeekKey + key.fKeylen, key.fNbytes - key.fKeylen);
    let object = stored;
    if (key.fObjlen > stored.length) {
      try {
        object = decompressObject(stored, key.fObjlen, decompressors);
      } catch (cause) {
        throw new InputError(rootMessages.objectUnreadable(source.location, key.fName, key.fClassName, reason(cause)), { file: source.location }, { cause });
      }
    }
    const buffer = new TBuffer(new DataView(object.buffer, object.byteOffset, object.byteLength), 0, file);
    buffer.fTagOffset = key.fKeylen;
    return buffer;
  };
}

function reason(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Opens a file with jsroot over a byte source.
 * @param negativeVersion whether the header version is negative and must be shown positive to jsroot.
 * @throws InputError when jsroot cannot read the keys or streamer info.
 */
export async function openJsrootFile(source: ByteSource, negativeVersion: boolean, decompressors: Decompressors): Promise<JsrootFile> {
  try {
    const file = await openFile(new SourceProxy(source, negativeVersion));
    useNativeObjectDecompression(file, source, decompressors);
    return file;
  } catch (cause) {
    if (cause instanceof InputError) throw cause;
    throw new InputError(rootMessages.fileUnreadable(source.location, reason(cause)), { file: source.location }, { cause });
  }
}

const DIRECTORY_CLASSES = new Set(['TDirectory', 'TDirectoryFile']);

/**
 * Lists the keys of the file and of all its subdirectories; for each path only the highest cycle is kept.
 * Cost: one read per subdirectory.
 */
export async function listKeys(file: JsrootFile, location: string): Promise<KeyInfo[]> {
  const keys: KeyInfo[] = [];
  const visit = async (jsrootKeys: JsrootKey[], prefix: string, depth: number): Promise<void> => {
    const best = new Map<string, JsrootKey>();
    for (const key of jsrootKeys) {
      const previous = best.get(key.fName);
      if (!previous || key.fCycle > previous.fCycle) best.set(key.fName, key);
    }
    for (const key of best.values()) {
      const path = prefix + key.fName;
      keys.push({ path, cycle: key.fCycle, className: key.fClassName, title: key.fTitle ?? '' });
      if (DIRECTORY_CLASSES.has(key.fClassName) && depth < 64) {
        let directory: JsrootDirectory;
        try {
          directory = await file.readDirectory(path, key.fCycle);
        } catch (cause) {
          throw new InputError(rootMessages.directoryUnreadable(location, path, reason(cause)), { file: location }, { cause });
        }
        await visit(directory.fKeys ?? [], `${path}/`, depth + 1);
      }
    }
  };
  await visit(file.fKeys ?? [], '', 0);
  return keys;
}

function describeLeaf(leaf: JsrootLeaf): LeafMeta {
  return {
    name: leaf.fName,
    className: leaf._typename,
    title: leaf.fTitle ?? '',
    length: leaf.fLen,
    isUnsigned: leaf.fIsUnsigned === true,
    countLeaf: leaf.fLeafCount ? leaf.fLeafCount.fName : undefined,
  };
}

function embeddedBasket(basket: JsrootBasket | null | undefined): { data: Uint8Array; entryOffsets?: Int32Array; numEntries: number } | undefined {
  const view = basket?.fBufferRef?.arr;
  if (!basket || !view) return undefined;
  const data = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let entryOffsets: Int32Array | undefined;
  if (basket.fEntryOffset && basket.fEntryOffset.length > 0) {
    entryOffsets = new Int32Array(basket.fNevBuf + 1);
    for (let i = 0; i < basket.fNevBuf; i++) entryOffsets[i] = (basket.fEntryOffset[i] ?? 0) - basket.fKeylen;
    entryOffsets[basket.fNevBuf] = data.length;
  }
  return { data, entryOffsets, numEntries: basket.fNevBuf };
}

/**
 * Lists the baskets of a branch: on disk at `fBasketSeek` with entries from `fBasketEntry`,
 * or stored in the TTree object (`fBaskets`) when the file was never closed. The entry
 * ranges are checked by the reader against the branch's entry count.
 */
function describeBaskets(branch: JsrootBranch): BasketMeta[] {
  const seeks = branch.fBasketSeek ?? [];
  const sizes = branch.fBasketBytes ?? [];
  const starts = branch.fBasketEntry ?? [];
  const embedded = branch.fBaskets?.arr ?? [];
  const numBaskets = Math.max(branch.fWriteBasket, embedded.length);
  const baskets: BasketMeta[] = [];
  let next = 0;
  for (let k = 0; k < numBaskets; k++) {
    const inTree = embeddedBasket(embedded[k]);
    const entryStart = k <= branch.fWriteBasket && k < starts.length ? Number(starts[k]) : next;
    if (inTree) {
      if (inTree.numEntries === 0) continue;
      baskets.push({
        entryStart,
        entryStop: entryStart + inTree.numEntries,
        location: { kind: 'embedded', data: inTree.data, entryOffsets: inTree.entryOffsets },
      });
      next = entryStart + inTree.numEntries;
    } else if (k < branch.fWriteBasket && Number(seeks[k]) > 0) {
      const entryStop = k + 1 < starts.length ? Number(starts[k + 1]) : branch.fEntries;
      baskets.push({ entryStart, entryStop, location: { kind: 'file', seek: Number(seeks[k]), numBytes: Number(sizes[k]) } });
      next = entryStop;
    }
  }
  return baskets;
}

function describeBranch(branch: JsrootBranch, into: Map<string, BranchMeta>, leafBranch: Map<string, string>): void {
  const leaves = (branch.fLeaves?.arr ?? []).map(describeLeaf);
  const subBranches = branch.fBranches?.arr ?? [];
  into.set(branch.fName, {
    name: branch.fName,
    title: branch.fTitle ?? '',
    className: branch._typename,
    objectClass: branch.fClassName || undefined,
    streamerType: branch.fStreamerType,
    numEntries: Number(branch.fEntries),
    entryOffsetLength: branch.fEntryOffsetLen ?? 0,
    leaves,
    baskets: describeBaskets(branch),
    subBranches: subBranches.map((b) => b.fName),
  });
  for (const leaf of leaves) if (!leafBranch.has(leaf.name)) leafBranch.set(leaf.name, branch.fName);
  for (const sub of subBranches) describeBranch(sub, into, leafBranch);
}

const TREE_CLASSES = new Set(['TTree', 'TNtuple', 'TNtupleD']);

/**
 * Reads a TTree object and describes its branches and baskets.
 * @throws InputError when the object cannot be read or is not a TTree.
 */
export async function readTreeMeta(file: JsrootFile, location: string, path: string, cycle: number): Promise<TreeMeta> {
  let object: unknown;
  try {
    object = await file.readObject(path, cycle);
  } catch (cause) {
    throw new InputError(rootMessages.treeUnreadable(location, path, reason(cause)), { file: location, tree: path }, { cause });
  }
  const tree = object as JsrootTree | null; // typed boundary: jsroot returns untyped objects
  if (!tree || !TREE_CLASSES.has(tree._typename) || !tree.fBranches?.arr) {
    throw new InputError(rootMessages.notATree(location, path, tree?._typename ?? 'unknown object'), { file: location, tree: path });
  }
  const branches = new Map<string, BranchMeta>();
  const leafBranch = new Map<string, string>();
  try {
    for (const branch of tree.fBranches.arr) describeBranch(branch, branches, leafBranch);
  } catch (cause) {
    // jsroot returns partly filled objects (null branches or leaves) when a TTree's bytes are damaged.
    if (!(cause instanceof TypeError)) throw cause;
    throw new InputError(rootMessages.treeUnreadable(location, path, `its branch list is damaged (${cause.message})`), { file: location, tree: path }, { cause });
  }
  return {
    file: location,
    path,
    numEntries: Number(tree.fEntries),
    topBranches: tree.fBranches.arr.map((b) => b.fName),
    branches,
    leafBranch,
  };
}
