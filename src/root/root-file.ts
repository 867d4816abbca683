/**
 * bhive's ROOT reader in the spirit of uproot: open a file (a local path or an `http(s)://`
 * URL), list its keys and trees, and read branches of a tree into typed columns for an
 * entry range or in chunks. Only the baskets that overlap the requested entries are read.
 *
 * ```ts
 * const file = await RootFile.open('events.root');
 * const tree = await file.tree('Events');
 * const { columns } = await tree.arrays(['nJet', 'Jet_pt'], { entryStart: 0, entryStop: 1000 });
 * for await (const chunk of tree.iterate(['Jet_pt'], { stepSize: 10000 })) { ... }
 * await file.close();
 * ```
 */

import { InputError } from '../errors.js';
import { BasketCache, prefetchBaskets, type ReadContext, type ReadCounters } from './basket-loader.js';
import { openByteSource, type ByteSource } from './byte-source.js';
import { readColumn, type Column } from './column-builder.js';
import { type Decompressors, nativeDecompressors } from './compression.js';
import type { NumericArray } from './decode.js';
import { countTopKeys, readFileHeader, verifyStreamerInfo, type FileHeader } from './file-header.js';
import { describeInterpretation, interpretBranch, type Interpretation } from './interpretation.js';
import { listKeys, openJsrootFile, readTreeMeta, type JsrootFile } from './jsroot-metadata.js';
import { rootMessages } from './messages.js';
import type { BranchMeta, KeyInfo, TreeMeta } from './tree-meta.js';

/** Options of {@link RootFile.open}. */
export interface OpenOptions {
  /** Replaces some decompressors, for example to compare implementations. Default: native ones. */
  decompressors?: Partial<Decompressors>;
}

/** An entry range; entryStop is excluded. */
export interface EntryRange {
  /** First entry, default 0. */
  entryStart?: number;
  /** Entry after the last one, default the number of entries; larger values are clamped to it. */
  entryStop?: number;
}

/** Columns of several branches over entries [entryStart, entryStop). */
export interface ColumnChunk {
  entryStart: number;
  entryStop: number;
  /** One column per requested branch, in request order. */
  columns: Map<string, Column>;
}

/** Options of {@link RootTree.iterate}. */
export interface IterateOptions extends EntryRange {
  /** Entries per chunk, default 100000. */
  stepSize?: number;
}

/** A branch as listed by {@link RootTree.branchInfo}. */
export interface BranchInfo {
  name: string;
  /** ROOT's description, such as `Jet_pt[nJet]/F`. */
  title: string;
  /** The decoded type, such as `float32[nJet]`, or undefined when the type is not supported. */
  interpretation?: string;
  numBaskets: number;
}

const TREE_CLASSES = new Set(['TTree', 'TNtuple', 'TNtupleD']);

/** An open ROOT file. Close it with {@link RootFile.close}. */
export class RootFile {
  private constructor(
    readonly location: string,
    readonly header: FileHeader,
    private readonly source: ByteSource,
    private readonly jsrootFile: JsrootFile | undefined,
    private readonly keyList: KeyInfo[],
    private readonly decompressors: Decompressors,
  ) {}

  /**
   * Opens a local path or an `http(s)://` URL and lists its keys, including those of subdirectories.
   * A file without keys and streamer info opens with an empty key list.
   * @throws InputError when the file is missing, not a ROOT file, damaged, or was never closed and has no key list.
   */
  static async open(location: string, options: OpenOptions = {}): Promise<RootFile> {
    const source = await openByteSource(location);
    try {
      const header = await readFileHeader(source);
      const decompressors = { ...nativeDecompressors, ...options.decompressors };
      if (header.seekKeys === 0) {
        throw new InputError(rootMessages.notClosed(location, header.end, source.size), { file: location });
      }
      if (header.seekInfo === 0) {
        const numKeys = await countTopKeys(source, header);
        if (numKeys !== 0) throw new InputError(rootMessages.noStreamerInfo(location, numKeys), { file: location });
        return new RootFile(location, header, source, undefined, [], decompressors);
      }
      await verifyStreamerInfo(source, header, decompressors);
      const jsrootFile = await openJsrootFile(source, header.version < 0, decompressors);
      const keys = await listKeys(jsrootFile, location);
      return new RootFile(location, header, source, jsrootFile, keys, decompressors);
    } catch (error) {
      await source.close();
      throw error;
    }
  }

  /** Returns every key of the file and its subdirectories (highest cycle of each path), as `dir/name` paths. */
  keys(): KeyInfo[] {
    return [...this.keyList];
  }

  /** Paths of all trees, including those in subdirectories. */
  treePaths(): string[] {
    return this.keyList.filter((k) => TREE_CLASSES.has(k.className)).map((k) => k.path);
  }

  /**
   * Reads the metadata of a tree. A `;cycle` suffix selects a cycle; without it the highest cycle is used.
   * @throws InputError when the tree is not in the file (with the trees present) or cannot be read.
   */
  async tree(path: string): Promise<RootTree> {
    const separator = path.lastIndexOf(';');
    const name = (separator >= 0 ? path.slice(0, separator) : path).replace(/^\/+/, '');
    const key = this.keyList.find((k) => k.path === name);
    if (!key || !this.jsrootFile) {
      throw new InputError(rootMessages.treeNotFound(this.location, name, this.treePaths()), { file: this.location, tree: name });
    }
    if (!TREE_CLASSES.has(key.className)) {
      throw new InputError(rootMessages.notATree(this.location, name, key.className), { file: this.location, tree: name });
    }
    const cycle = separator >= 0 ? Number.parseInt(path.slice(separator + 1), 10) : key.cycle;
    const meta = await readTreeMeta(this.jsrootFile, this.location, name, cycle);
    return new RootTree(meta, this.source, this.decompressors);
  }

  async close(): Promise<void> {
    await this.source.close();
  }
}

/** One tree of an open file: its branches and reading of columns. */
export class RootTree {
  /** Work done by this tree's reads so far. */
  readonly counters: ReadCounters = { basketsRead: 0, compressedBytes: 0, uncompressedBytes: 0 };
  private readonly interpretations = new Map<string, Interpretation>();

  constructor(
    readonly meta: TreeMeta,
    private readonly source: ByteSource,
    private readonly decompressors: Decompressors,
  ) {}

  get file(): string {
    return this.meta.file;
  }

  get path(): string {
    return this.meta.path;
  }

  /** Entries according to the tree header. */
  get numEntries(): number {
    return this.meta.numEntries;
  }

  /** Names of the top-level branches, in file order. */
  get branchNames(): string[] {
    return [...this.meta.topBranches];
  }

  private branch(name: string): BranchMeta {
    const branch = this.meta.branches.get(name);
    if (!branch) {
      throw new InputError(rootMessages.branchNotFound(this.file, this.path, name, this.meta.topBranches), {
        file: this.file,
        tree: this.path,
        branch: name,
      });
    }
    return branch;
  }

  /**
   * Returns how a branch is decoded.
   * @throws InputError for a missing branch, UnsupportedError for a type that is not supported.
   */
  interpretation(name: string): Interpretation {
    let interpretation = this.interpretations.get(name);
    if (!interpretation) {
      interpretation = interpretBranch(this.meta, this.branch(name));
      this.interpretations.set(name, interpretation);
    }
    return interpretation;
  }

  /** Describes every top-level branch, with its decoded type where supported. */
  branchInfo(): BranchInfo[] {
    return this.meta.topBranches.map((name) => {
      const branch = this.branch(name);
      let interpretation: string | undefined;
      try {
        interpretation = describeInterpretation(this.interpretation(name));
      } catch {
        interpretation = undefined;
      }
      return { name, title: branch.title, interpretation, numBaskets: branch.baskets.length };
    });
  }

  private resolveRange(range: EntryRange): [number, number] {
    const entryStart = range.entryStart ?? 0;
    const entryStop = Math.min(range.entryStop ?? this.numEntries, this.numEntries);
    if (!Number.isSafeInteger(entryStart) || !Number.isSafeInteger(entryStop) || entryStart < 0 || entryStart > Math.max(entryStop, 0)) {
      throw new InputError(rootMessages.entryRange(this.file, this.path, entryStart, entryStop, this.numEntries), {
        file: this.file,
        tree: this.path,
        entryStart,
        entryStop,
      });
    }
    return [entryStart, entryStop];
  }

  private async readRange(branches: string[], entryStart: number, entryStop: number, cache?: BasketCache): Promise<ColumnChunk> {
    const plans = [...new Set(branches)].map((name) => [name, this.branch(name), this.interpretation(name)] as const);
    const context: ReadContext = { source: this.source, tree: this.meta, decompressors: this.decompressors, counters: this.counters, cache };
    const readCounts = async (counter: string, start: number, stop: number): Promise<NumericArray> => {
      const column = await readColumn(context, this.branch(counter), this.interpretation(counter), start, stop, readCounts);
      if (column.kind !== 'flat') {
        throw new InputError(rootMessages.unsupportedBranch(this.file, this.path, counter, 'no scalar values but is used as a counter'), {
          file: this.file,
          tree: this.path,
          branch: counter,
        });
      }
      return column.values;
    };
    if (entryStop > entryStart) await prefetchBaskets(context, plans.map(([, branch]) => branch), entryStart, entryStop);
    const columns = new Map<string, Column>();
    for (const [name, branch, interpretation] of plans) {
      columns.set(name, await readColumn(context, branch, interpretation, entryStart, entryStop, readCounts));
    }
    return { entryStart, entryStop, columns };
  }

  /**
   * Reads branches over entries [entryStart, entryStop) into columns. Only the baskets that
   * overlap the range are read. A tree with zero entries gives empty columns.
   * @throws InputError for a missing branch, an invalid range, or damaged baskets (naming the basket and its entries).
   * @throws UnsupportedError for unsupported branch types or compression codes.
   */
  async arrays(branches: string[], range: EntryRange = {}): Promise<ColumnChunk> {
    const [entryStart, entryStop] = this.resolveRange(range);
    return this.readRange(branches, entryStart, entryStop);
  }

  /**
   * Reads branches in chunks of `stepSize` entries. Memory contains one chunk plus the
   * baskets that straddle its end, never the whole range.
   */
  async *iterate(branches: string[], options: IterateOptions = {}): AsyncGenerator<ColumnChunk> {
    const [entryStart, entryStop] = this.resolveRange(options);
    const stepSize = options.stepSize ?? 100000;
    if (!Number.isSafeInteger(stepSize) || stepSize < 1) {
      throw new RangeError(`stepSize must be a positive integer, got ${stepSize}`);
    }
    for (const name of branches) this.interpretation(name);
    const cache = new BasketCache();
    for (let start = entryStart; start < entryStop; start += stepSize) {
      const stop = Math.min(start + stepSize, entryStop);
      const chunk = await this.readRange(branches, start, stop, cache);
      cache.dropBefore(stop);
      yield chunk;
    }
  }
}
