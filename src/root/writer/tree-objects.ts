/**
 * Serialisation of the TTree object with its TBranch and TLeaf objects, following the
 * member order of TTree version 20, TBranch version 13 and TLeaf version 2 (see
 * streamer-info.ts). Baskets live in their own keys; the TTree records where they are.
 */

import { ByteWriter } from './byte-writer.js';
import { leafTypes, type LeafType } from './leaf-types.js';
import { writeTNamed, writeTObject } from './streamer-info.js';

/** fEntryOffsetLen of branches with variable-size entries: they keep an entry offset table. */
export const jaggedEntryOffsetLength = 1000;
/** fBasketSize recorded in each branch, ROOT's default. */
const defaultBasketSize = 32000;

export interface BasketLocation {
  /** fBasketBytes: bytes of the basket's key. */
  bytes: number;
  /** fBasketEntry: the first entry in the basket. */
  firstEntry: number;
  /** fBasketSeek: the position of the basket's key. */
  seek: number;
}

/** What the TTree object records about one branch after its baskets were written. */
export interface BranchRecord {
  name: string;
  type: LeafType;
  /** The branch holding the per-entry length, for jagged branches. */
  counter?: string;
  baskets: BasketLocation[];
  /** Uncompressed bytes of all baskets, key headers included (fTotBytes). */
  totalBytes: number;
  /** Stored bytes of all baskets (fZipBytes). */
  zipBytes: number;
  /** Largest value written, for branches that other branches use as counter; recorded as the leaf's fMaximum. */
  counterMaximum?: number;
}

export interface TreeRecord {
  name: string;
  title: string;
  numEntries: number;
  branches: BranchRecord[];
  /** fCompress of every branch. */
  compress: number;
  /** Entries in each cluster (one basket per branch), in order. */
  clusterSizes: number[];
}

/** Title of a branch, as ROOT's leaf-list syntax: `pt/F` or `cpf_pt[ncpf]/F`. */
export function branchTitle(branch: { name: string; type: LeafType; counter?: string }): string {
  return `${leafTitle(branch)}/${leafTypes[branch.type].letter}`;
}

function leafTitle(branch: { name: string; counter?: string }): string {
  return branch.counter === undefined ? branch.name : `${branch.name}[${branch.counter}]`;
}

/** Serialises `tree` as the object of its key. @param displacement the key header length. */
export function serializeTree(tree: TreeRecord, displacement: number): Uint8Array {
  const writer = new ByteWriter(displacement, 4096 + 1024 * tree.branches.length);
  const leafIdentities = new Map<string, object>(tree.branches.map((b) => [b.name, { leaf: b.name }]));
  const counters = new Set(tree.branches.flatMap((b) => (b.counter === undefined ? [] : [b.counter])));
  const leafIdentity = (name: string): object => {
    const identity = leafIdentities.get(name);
    if (identity === undefined) throw new Error(`tree ${tree.name} has no branch ${name}`);
    return identity;
  };

  const start = writer.startVersioned(20);
  writeTNamed(writer, tree.name, tree.title);
  writeAttributes(writer);
  const totalBytes = tree.branches.reduce((sum, b) => sum + b.totalBytes, 0);
  const zipBytes = tree.branches.reduce((sum, b) => sum + b.zipBytes, 0);
  writer.i64(tree.numEntries);
  writer.i64(totalBytes);
  writer.i64(zipBytes);
  writer.i64(0); // fSavedBytes
  writer.i64(0); // fFlushedBytes
  writer.f64(1); // fWeight
  writer.i32(0); // fTimerInterval
  writer.i32(25); // fScanField
  writer.i32(0); // fUpdate
  writer.i32(jaggedEntryOffsetLength); // fDefaultEntryOffsetLen
  const clusters = describeClusters(tree.clusterSizes);
  writer.i32(clusters.rangeEnds.length); // fNClusterRange
  writer.i64(1_000_000_000_000); // fMaxEntries
  writer.i64(1_000_000_000_000); // fMaxEntryLoop
  writer.i64(0); // fMaxVirtualSize
  writer.i64(-300_000_000); // fAutoSave, ROOT's default
  writer.i64(clusters.autoFlush);
  writer.i64(1_000_000); // fEstimate
  writer.u8(1);
  for (const end of clusters.rangeEnds) writer.i64(end);
  writer.u8(1);
  for (const size of clusters.rangeSizes) writer.i64(size);
  writeIOFeatures(writer);

  writeObjectArray(writer, tree.branches.length, (i) => {
    const branch = tree.branches[i];
    writer.object('TBranch', () => writeBranch(writer, branch, tree, leafIdentity, counters.has(branch.name)));
  });
  writeObjectArray(writer, tree.branches.length, (i) => writer.objectReference(leafIdentity(tree.branches[i].name), `leaf list of tree ${tree.name}`));

  writer.nullPointer(); // fAliases
  writer.i32(0); // fIndexValues: TArrayD of length 0
  writer.i32(0); // fIndex: TArrayI of length 0
  writer.nullPointer(); // fTreeIndex
  writer.nullPointer(); // fFriends
  writer.nullPointer(); // fUserInfo
  writer.nullPointer(); // fBranchRef
  writer.endByteCount(start);
  return writer.bytes().slice();
}

/** TAttLine, TAttFill and TAttMarker with ROOT's defaults for a TTree. */
function writeAttributes(writer: ByteWriter): void {
  let start = writer.startVersioned(2);
  writer.i16(602);
  writer.i16(1);
  writer.i16(1);
  writer.endByteCount(start);
  writeFillAttributes(writer);
  start = writer.startVersioned(2);
  writer.i16(1);
  writer.i16(1);
  writer.f32(1);
  writer.endByteCount(start);
}

function writeFillAttributes(writer: ByteWriter): void {
  const start = writer.startVersioned(2);
  writer.i16(0);
  writer.i16(1001);
  writer.endByteCount(start);
}

function writeIOFeatures(writer: ByteWriter): void {
  const start = writer.startVersioned(1);
  writer.u8(0);
  writer.endByteCount(start);
}

/** A TObjArray streamed in place (a member of type kObject). */
function writeObjectArray(writer: ByteWriter, count: number, writeItem: (index: number) => void): void {
  const start = writer.startVersioned(3);
  writeTObject(writer);
  writer.tstring('');
  writer.i32(count);
  writer.i32(0); // fLowerBound
  for (let i = 0; i < count; i++) writeItem(i);
  writer.endByteCount(start);
}

function writeBranch(
  writer: ByteWriter,
  branch: BranchRecord,
  tree: TreeRecord,
  leafIdentity: (name: string) => object,
  isCounter: boolean,
): void {
  const numBaskets = branch.baskets.length;
  // One slot more than the baskets written: fBasketEntry[numBaskets] holds the entry count.
  const maxBaskets = numBaskets + 1;
  const start = writer.startVersioned(13);
  writeTNamed(writer, branch.name, branchTitle(branch));
  writeFillAttributes(writer);
  writer.i32(tree.compress);
  writer.i32(defaultBasketSize);
  writer.i32(branch.counter === undefined ? 0 : jaggedEntryOffsetLength);
  writer.i32(numBaskets); // fWriteBasket
  writer.i64(tree.numEntries); // fEntryNumber
  writeIOFeatures(writer);
  writer.i32(0); // fOffset
  writer.i32(maxBaskets);
  writer.i32(0); // fSplitLevel
  writer.i64(tree.numEntries);
  writer.i64(0); // fFirstEntry
  writer.i64(branch.totalBytes);
  writer.i64(branch.zipBytes);
  writeObjectArray(writer, 0, () => undefined);
  writeObjectArray(writer, 1, () => writer.object(leafTypes[branch.type].className, () => writeLeaf(writer, branch, leafIdentity, isCounter), leafIdentity(branch.name)));
  writeObjectArray(writer, 0, () => undefined);
  writer.u8(1);
  for (const basket of branch.baskets) writer.i32(basket.bytes);
  writer.i32(0);
  writer.u8(1);
  for (const basket of branch.baskets) writer.i64(basket.firstEntry);
  writer.i64(tree.numEntries);
  writer.u8(1);
  for (const basket of branch.baskets) writer.i64(basket.seek);
  writer.i64(0);
  writer.tstring(''); // fFileName: baskets are in this file
  writer.endByteCount(start);
}

function writeLeaf(writer: ByteWriter, branch: BranchRecord, leafIdentity: (name: string) => object, isCounter: boolean): void {
  const info = leafTypes[branch.type];
  const start = writer.startVersioned(1);
  const leafStart = writer.startVersioned(2);
  writeTNamed(writer, branch.name, leafTitle(branch));
  writer.i32(1); // fLen
  writer.i32(info.size); // fLenType
  writer.i32(0); // fOffset
  writer.u8(isCounter ? 1 : 0); // fIsRange: ROOT sets it on leaves that count other leaves
  writer.u8(info.unsigned ? 1 : 0);
  if (branch.counter === undefined) writer.nullPointer();
  else writer.objectReference(leafIdentity(branch.counter), `leaf ${branch.name}`);
  writer.endByteCount(leafStart);
  const maximum = isCounter ? (branch.counterMaximum ?? 0) : 0;
  switch (branch.type) {
    case 'float32':
      writer.f32(0);
      writer.f32(maximum);
      break;
    case 'float64':
      writer.f64(0);
      writer.f64(maximum);
      break;
    case 'int32':
      writer.i32(0);
      writer.i32(maximum);
      break;
    case 'int64':
      writer.i64(0);
      writer.i64(maximum);
      break;
    case 'bool':
    case 'uint8':
      writer.u8(0);
      writer.u8(Math.min(maximum, 255));
      break;
  }
  writer.endByteCount(start);
}

interface ClusterDescription {
  autoFlush: number;
  rangeEnds: number[];
  rangeSizes: number[];
}

/**
 * Describes clusters as TTree does: ranges of equal-size clusters, each with its last entry
 * (fClusterRangeEnd, inclusive) and size (fClusterSize), then fAutoFlush for the clusters
 * after the last range. A last cluster smaller than the one before is the tail of that range.
 */
export function describeClusters(sizes: number[]): ClusterDescription {
  // ROOT's default when no cluster was written: flush every 30 MB of compressed baskets.
  if (sizes.length === 0) return { autoFlush: -30_000_000, rangeEnds: [], rangeSizes: [] };
  const groups: Array<{ size: number; end: number }> = [];
  let entry = 0;
  sizes.forEach((size, index) => {
    entry += size;
    const last = groups[groups.length - 1];
    const isShortTail = index === sizes.length - 1 && last !== undefined && size < last.size;
    if (last !== undefined && (last.size === size || isShortTail)) last.end = entry - 1;
    else groups.push({ size, end: entry - 1 });
  });
  const ranges = groups.slice(0, -1);
  return {
    autoFlush: groups[groups.length - 1].size,
    rangeEnds: ranges.map((g) => g.end),
    rangeSizes: ranges.map((g) => g.size),
  };
}
