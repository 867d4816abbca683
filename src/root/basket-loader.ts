/**
 * Finding, reading and decoding the baskets of one branch that overlap an entry range.
 * Two checks turn a damaged file into an error instead of silently fewer entries: the
 * baskets must cover the range without gaps, and each basket must contain as many entries
 * as the branch lists for it.
 */

import { InputError, UnsupportedError } from '../errors.js';
import { BasketFormatError, decodeBasket, type BasketContent } from './basket.js';
import type { ByteSource } from './byte-source.js';
import { BlockFormatError, type Decompressors, UnknownAlgorithmError } from './compression.js';
import { rootMessages } from './messages.js';
import type { BasketMeta, BranchMeta, TreeMeta } from './tree-meta.js';

/** Decoded baskets kept between the chunks of an iteration, keyed by branch and basket number. */
export class BasketCache {
  private readonly baskets = new Map<string, { content: BasketContent; entryStop: number }>();

  get(branch: string, basket: number): BasketContent | undefined {
    return this.baskets.get(basketKey(branch, basket))?.content;
  }

  set(branch: string, basket: number, content: BasketContent, entryStop: number): void {
    this.baskets.set(basketKey(branch, basket), { content, entryStop });
  }

  /** Drops every basket that ends at or before `entry`. */
  dropBefore(entry: number): void {
    for (const [key, value] of this.baskets) if (value.entryStop <= entry) this.baskets.delete(key);
  }

  get size(): number {
    return this.baskets.size;
  }
}

/** Counters of the work done, for benchmarks and progress reports. */
export interface ReadCounters {
  basketsRead: number;
  /** Bytes of baskets read from the file, compressed as stored. */
  compressedBytes: number;
  /** Bytes of baskets after decompression, entry offset tables included. */
  uncompressedBytes: number;
}

/** Everything needed to read baskets of one tree. */
export interface ReadContext {
  source: ByteSource;
  tree: TreeMeta;
  decompressors: Decompressors;
  counters: ReadCounters;
  cache?: BasketCache;
  /** Basket bytes already read by {@link prefetchBaskets}, keyed like the cache. */
  prefetched?: Map<string, Uint8Array>;
}

function basketKey(branch: string, basket: number): string {
  return `${branch}\u0000${basket}`;
}

/** Baskets closer than this are read together, with the bytes between them. */
const MERGE_GAP_BYTES = 64 * 1024;
/** Upper limit of one merged read. */
const MAX_MERGED_BYTES = 16 * 1024 * 1024;

/**
 * Reads the on-disk baskets of several branches that overlap [entryStart, entryStop) with as
 * few reads as possible: baskets are sorted by position and neighbours less than 64 KiB apart
 * are read in one request. This matters for small baskets, where each read costs more than
 * decoding, and for HTTP, where each read is a request.
 */
export async function prefetchBaskets(context: ReadContext, branches: BranchMeta[], entryStart: number, entryStop: number): Promise<void> {
  const wanted: Array<{ key: string; seek: number; numBytes: number }> = [];
  for (const branch of branches) {
    branch.baskets.forEach((meta, index) => {
      if (meta.location.kind !== 'file' || meta.entryStop <= entryStart || meta.entryStart >= entryStop) return;
      if (context.cache?.get(branch.name, index)) return;
      wanted.push({ key: basketKey(branch.name, index), seek: meta.location.seek, numBytes: meta.location.numBytes });
    });
  }
  wanted.sort((a, b) => a.seek - b.seek);

  const groups: Array<{ start: number; end: number; baskets: typeof wanted }> = [];
  for (const basket of wanted) {
    const group = groups.at(-1);
    const end = basket.seek + basket.numBytes;
    if (group && basket.seek - group.end <= MERGE_GAP_BYTES && end - group.start <= MAX_MERGED_BYTES) {
      group.baskets.push(basket);
      group.end = Math.max(group.end, end);
    } else {
      groups.push({ start: basket.seek, end, baskets: [basket] });
    }
  }

  const prefetched = context.prefetched ?? new Map<string, Uint8Array>();
  context.prefetched = prefetched;
  await Promise.all(groups.map(async ({ start, end, baskets }) => {
    // A group that cannot be read is left to loadBaskets, which reports the failing basket.
    if (baskets.length === 1 || end > context.source.size) return;
    const bytes = await context.source.read(start, end - start);
    for (const basket of baskets) prefetched.set(basket.key, bytes.subarray(basket.seek - start, basket.seek - start + basket.numBytes));
  }));
}

/** A decoded basket with its place in the branch. */
export interface LoadedBasket {
  index: number;
  meta: BasketMeta;
  content: BasketContent;
}

function basketError(context: ReadContext, branch: BranchMeta, index: number, meta: BasketMeta, reason: string, cause?: unknown): InputError {
  const { tree } = context;
  return new InputError(
    rootMessages.badBasket(tree.file, tree.path, branch.name, index, branch.baskets.length, meta.entryStart, meta.entryStop, reason),
    { file: tree.file, tree: tree.path, branch: branch.name, entryStart: meta.entryStart, entryStop: meta.entryStop },
    cause === undefined ? undefined : { cause },
  );
}

async function readBasketBytes(context: ReadContext, branch: BranchMeta, index: number, meta: BasketMeta): Promise<Uint8Array> {
  if (meta.location.kind !== 'file') return meta.location.data;
  const prefetched = context.prefetched?.get(basketKey(branch.name, index));
  if (prefetched) {
    context.prefetched?.delete(basketKey(branch.name, index));
    return prefetched;
  }
  const { seek, numBytes } = meta.location;
  try {
    return await context.source.read(seek, numBytes);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw basketError(context, branch, index, meta, reason, cause);
  }
}

function decode(context: ReadContext, branch: BranchMeta, index: number, meta: BasketMeta, raw: Uint8Array): BasketContent {
  if (meta.location.kind === 'embedded') {
    const { data, entryOffsets } = meta.location;
    return { data, numEntries: meta.entryStop - meta.entryStart, entryOffsets, uncompressedBytes: data.length };
  }
  try {
    return decodeBasket(raw, branch.entryOffsetLength > 0, context.decompressors);
  } catch (cause) {
    if (cause instanceof UnknownAlgorithmError) {
      const { tree } = context;
      throw new UnsupportedError(
        rootMessages.unknownCompression(tree.file, tree.path, branch.name, index, meta.entryStart, meta.entryStop, cause.code),
        { file: tree.file, tree: tree.path, branch: branch.name, entryStart: meta.entryStart, entryStop: meta.entryStop },
        { cause },
      );
    }
    // A RangeError comes from a DataView read past the end of a damaged basket.
    if (cause instanceof BasketFormatError || cause instanceof BlockFormatError || cause instanceof RangeError) {
      throw basketError(context, branch, index, meta, cause.message, cause);
    }
    throw cause;
  }
}

/**
 * Returns the decoded baskets of `branch` that overlap entries [entryStart, entryStop), in
 * entry order. Cost: one read per basket not in the cache; reads are issued together.
 * @throws InputError when the baskets leave part of the range uncovered, a basket cannot be
 *   read or decoded, or a basket contains a different number of entries than the branch lists.
 * @throws UnsupportedError for an unknown compression algorithm.
 */
export async function loadBaskets(context: ReadContext, branch: BranchMeta, entryStart: number, entryStop: number): Promise<LoadedBasket[]> {
  const { tree } = context;
  const selected: Array<{ index: number; meta: BasketMeta }> = [];
  let covered = entryStart;
  branch.baskets.forEach((meta, index) => {
    if (meta.entryStop <= entryStart || meta.entryStart >= entryStop || meta.entryStop <= meta.entryStart) return;
    if (meta.entryStart > covered) return;
    selected.push({ index, meta });
    covered = Math.max(covered, meta.entryStop);
  });
  if (covered < entryStop) {
    throw new InputError(rootMessages.missingEntries(tree.file, tree.path, branch.name, covered, entryStart, entryStop, branch.baskets.length), {
      file: tree.file,
      tree: tree.path,
      branch: branch.name,
      entryStart,
      entryStop,
    });
  }

  const raws = await Promise.all(
    selected.map(({ index, meta }) =>
      context.cache?.get(branch.name, index) ? Promise.resolve(undefined) : readBasketBytes(context, branch, index, meta)),
  );

  const loaded: LoadedBasket[] = [];
  for (let s = 0; s < selected.length; s++) {
    const { index, meta } = selected[s];
    let content = context.cache?.get(branch.name, index);
    if (!content) {
      const raw = raws[s] as Uint8Array;
      content = decode(context, branch, index, meta, raw);
      context.counters.basketsRead++;
      context.counters.compressedBytes += raw.length;
      context.counters.uncompressedBytes += content.uncompressedBytes;
      const expected = meta.entryStop - meta.entryStart;
      if (content.numEntries !== expected) {
        throw basketError(context, branch, index, meta, `it contains ${content.numEntries} entries, but the branch lists ${expected}`);
      }
      context.cache?.set(branch.name, index, content, meta.entryStop);
    }
    loaded.push({ index, meta, content });
  }
  return loaded;
}

/** Builds the error for a basket whose entries do not fit its interpretation. */
export function entryLayoutError(context: ReadContext, branch: BranchMeta, basket: LoadedBasket, reason: string): InputError {
  return basketError(context, branch, basket.index, basket.meta, reason);
}
