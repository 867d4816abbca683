/**
 * Writes a ROOT file with one TTree of flat and jagged numeric branches, chunk by chunk:
 * each `write` call adds one cluster, one basket per branch, so memory depends on the chunk
 * and not on the tree. `close` then writes the TTree, the streamer infos, the key list and
 * the free-segment list, and fills in the file header. The file appears under its name only
 * when `close` succeeds; until then it is written under a temporary name beside it.
 *
 * NOTE: the tests read these files with jsroot and bhive's reader and compare the streamer
 * infos with ROOT 6 files, but no test opens them with ROOT itself or uproot.
 */

import { createHash } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { buildBasket } from './basket.js';
import { compressionSetting, compressObject, type WriterCompression } from './compression.js';
import {
  buildFileHeader,
  buildFreeSegments,
  buildKey,
  buildTopDirectoryKey,
  checkSmallSeek,
  encodeDatime,
  fileBegin,
  keyHeaderLength,
  topDirectoryKeyLength,
  writeKeyHeader,
} from './file-records.js';
import { ByteWriter } from './byte-writer.js';
import { leafTypes, toBigEndian, type ColumnValues, type LeafType } from './leaf-types.js';
import { serializeStreamerInfoList } from './streamer-info.js';
import { jaggedEntryOffsetLength, serializeTree, type BranchRecord } from './tree-objects.js';

/** One branch of the tree: a flat branch contains one value per entry, a jagged one `counter` values. */
export interface BranchSpec {
  name: string;
  type: LeafType;
  /** An earlier int32 branch whose value in each entry is this branch's number of values. */
  counter?: string;
}

export interface TreeWriterOptions {
  /** Title of the TTree; default ''. */
  title?: string;
  /** Title of the file; default ''. */
  fileTitle?: string;
  /** Default zlib at level 1, ROOT's fCompress 101. */
  compression?: WriterCompression;
  /**
   * Creation and modification time recorded in the keys. The default, 1995-01-01 00:00 UTC
   * (the start of TDatime), makes files from the same data identical byte for byte.
   */
  timestamp?: Date;
}

export interface TreeWriteSummary {
  file: string;
  numEntries: number;
  numBaskets: number;
  /** Size of the file in bytes. */
  numBytes: number;
}

const defaultCompression: WriterCompression = { algorithm: 'zlib', level: 1 };
const datimeEpoch = new Date(Date.UTC(1995, 0, 1));

/** Streaming writer of one TTree; see the module description. */
export class TreeWriter {
  private readonly records: BranchRecord[];
  private readonly clusterSizes: number[] = [];
  private readonly compression: WriterCompression;
  private readonly datime: number;
  private numEntries = 0;
  private end: number;
  private closed = false;

  private constructor(
    readonly file: string,
    readonly treeName: string,
    private readonly branches: BranchSpec[],
    private readonly options: TreeWriterOptions,
    private readonly handle: FileHandle,
    private readonly temporaryFile: string,
  ) {
    this.compression = options.compression ?? defaultCompression;
    this.datime = encodeDatime(options.timestamp ?? datimeEpoch);
    this.records = branches.map((b) => ({ name: b.name, type: b.type, counter: b.counter, baskets: [], totalBytes: 0, zipBytes: 0 }));
    this.end = fileBegin + topDirectoryKeyLength(path.basename(file), options.fileTitle ?? '');
  }

  /**
   * Opens a temporary file beside `file` for a tree `treeName` with `branches`.
   * @throws InputError for an empty or duplicate branch name, a counter that is not an
   *   earlier int32 flat branch, or an invalid compression level.
   */
  static async create(file: string, treeName: string, branches: BranchSpec[], options: TreeWriterOptions = {}): Promise<TreeWriter> {
    checkBranches(file, treeName, branches);
    const compression = options.compression ?? defaultCompression;
    if (compression.algorithm === 'zlib' && !(Number.isInteger(compression.level) && compression.level >= 1 && compression.level <= 9)) {
      throw new InputError(`zlib compression level ${compression.level} for ROOT file ${file} is invalid; use an integer from 1 to 9`, { file });
    }
    const temporaryFile = `${file}.partial-${process.pid}`;
    const handle = await open(temporaryFile, 'w');
    return new TreeWriter(file, treeName, branches, options, handle, temporaryFile);
  }

  /** Entries written so far. */
  get entries(): number {
    return this.numEntries;
  }

  /**
   * Appends one cluster of entries: a column for every branch, flat columns one value per
   * entry, jagged columns the values of all entries concatenated (as many as the counter
   * column's sum). Bool columns hold 0 or 1 per byte; int64 columns are BigInt64Arrays.
   * @throws InputError naming the branch for a missing, extra or wrongly typed column, a
   *   length mismatch, or a negative counter value.
   */
  async write(columns: Record<string, ColumnValues>): Promise<void> {
    if (this.closed) throw new Error(`the writer of ${this.file} is closed`);
    const numEntries = checkColumns(this.file, this.treeName, this.branches, columns, this.numEntries);
    if (numEntries === 0) return;
    for (let b = 0; b < this.branches.length; b++) {
      const spec = this.branches[b];
      const record = this.records[b];
      const values = columns[spec.name];
      let entryStarts: Int32Array | undefined;
      if (spec.counter !== undefined) {
        const counts = columns[spec.counter] as Int32Array;
        entryStarts = new Int32Array(numEntries);
        let start = 0;
        for (let i = 0; i < numEntries; i++) {
          entryStarts[i] = start;
          start += counts[i] * leafTypes[spec.type].size;
        }
      }
      if (this.records.some((r) => r.counter === spec.name)) {
        let maximum = record.counterMaximum ?? 0;
        for (const count of values as Int32Array) if (count > maximum) maximum = count;
        record.counterMaximum = maximum;
      }
      checkSmallSeek(this.end, this.file);
      const basket = buildBasket({
        branch: spec.name,
        tree: this.treeName,
        data: toBigEndian(values, spec.type),
        numEntries,
        entryStarts,
        entryBufferSize: spec.counter === undefined ? leafTypes[spec.type].size : jaggedEntryOffsetLength,
        seekKey: this.end,
        datime: this.datime,
        compression: this.compression,
      });
      await this.append(basket.bytes);
      record.baskets.push({ bytes: basket.bytes.length, firstEntry: this.numEntries, seek: this.end - basket.bytes.length });
      record.totalBytes += basket.uncompressedBytes;
      record.zipBytes += basket.bytes.length;
    }
    this.numEntries += numEntries;
    this.clusterSizes.push(numEntries);
  }

  /** Writes the tree's metadata, closes the file and moves it to its name. */
  async close(): Promise<TreeWriteSummary> {
    if (this.closed) throw new Error(`the writer of ${this.file} is closed`);
    this.closed = true;
    try {
      const summary = await this.finish();
      await this.handle.close();
      await rename(this.temporaryFile, this.file);
      return summary;
    } catch (error) {
      await this.handle.close().catch(() => undefined);
      await rm(this.temporaryFile, { force: true });
      throw error;
    }
  }

  /** Stops writing and removes the temporary file; the target file is not touched. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close().catch(() => undefined);
    await rm(this.temporaryFile, { force: true });
  }

  private async finish(): Promise<TreeWriteSummary> {
    const fileName = path.basename(this.file);
    const fileTitle = this.options.fileTitle ?? '';
    const treeTitle = this.options.title ?? '';
    const keyBase = { datime: this.datime, seekParentDirectory: fileBegin };

    const treeKeyLength = keyHeaderLength('TTree', this.treeName, treeTitle);
    const treeObject = serializeTree(
      {
        name: this.treeName,
        title: treeTitle,
        numEntries: this.numEntries,
        branches: this.records,
        compress: compressionSetting(this.compression),
        clusterSizes: this.clusterSizes,
      },
      treeKeyLength,
    );
    const treeKeyFields = { ...keyBase, className: 'TTree', name: this.treeName, title: treeTitle, objectLength: treeObject.length, seekKey: this.end };
    const treeKey = buildKey(treeKeyFields, compressObject(treeObject, this.compression));
    await this.appendChecked(treeKey);

    const leafClasses = new Set(this.branches.map((b) => leafTypes[b.type].className));
    const infoKeyLength = keyHeaderLength('TList', 'StreamerInfo', 'Doubly linked list');
    const infoObject = serializeStreamerInfoList(['TTree', 'TBranch', 'ROOT::TIOFeatures', ...leafClasses], infoKeyLength);
    const seekInfo = this.end;
    const infoKey = buildKey(
      { ...keyBase, className: 'TList', name: 'StreamerInfo', title: 'Doubly linked list', objectLength: infoObject.length, seekKey: seekInfo },
      compressObject(infoObject, this.compression),
    );
    await this.appendChecked(infoKey);

    // The key list: the number of keys, then the header of each top-level key (here the tree's).
    const list = new ByteWriter(0, 256);
    list.i32(1);
    writeKeyHeader(list, { ...treeKeyFields, keyLength: treeKeyLength, storedLength: treeKey.length - treeKeyLength });
    const seekKeys = this.end;
    const keysKey = buildKey({ ...keyBase, className: 'TFile', name: fileName, title: fileTitle, objectLength: list.length, seekKey: seekKeys }, list.bytes());
    await this.appendChecked(keysKey);

    const seekFree = this.end;
    const freeLength = keyHeaderLength('TFile', fileName, fileTitle) + 10;
    const freeKey = buildKey(
      { ...keyBase, className: 'TFile', name: fileName, title: fileTitle, objectLength: 10, seekKey: seekFree },
      buildFreeSegments(seekFree + freeLength),
    );
    await this.appendChecked(freeKey);

    const uuid = createHash('md5').update(`${fileName}\0${this.treeName}\0${this.numEntries}`).digest();
    const nbytesName = keyHeaderLength('TFile', fileName, fileTitle) + (Buffer.byteLength(fileName) + 1) + (Buffer.byteLength(fileTitle) + 1);
    const header = buildFileHeader({
      end: this.end,
      seekFree,
      nbytesFree: freeKey.length,
      nbytesName,
      compress: compressionSetting(this.compression),
      seekInfo,
      nbytesInfo: infoKey.length,
      uuid,
    });
    const directory = buildTopDirectoryKey(fileName, fileTitle, { datime: this.datime, nbytesKeys: keysKey.length, nbytesName, seekKeys, uuid });
    await this.handle.write(header, 0, header.length, 0);
    await this.handle.write(directory, 0, directory.length, fileBegin);
    const numBaskets = this.records.reduce((sum, r) => sum + r.baskets.length, 0);
    return { file: this.file, numEntries: this.numEntries, numBaskets, numBytes: this.end };
  }

  private async appendChecked(bytes: Uint8Array): Promise<void> {
    checkSmallSeek(this.end + bytes.length, this.file);
    await this.append(bytes);
  }

  private async append(bytes: Uint8Array): Promise<void> {
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, written, bytes.length - written, this.end + written);
      written += bytesWritten;
    }
    this.end += bytes.length;
  }
}

/**
 * Checks `columns` against `branches` and returns the number of entries they hold.
 * @param firstEntry the entry number of the first value, for messages.
 */
function checkColumns(file: string, treeName: string, branches: BranchSpec[], columns: Record<string, ColumnValues>, firstEntry: number): number {
  const fail = (branch: string, message: string): never => {
    throw new InputError(`cannot write branch ${branch} of tree ${treeName} to ${file}: ${message}`, {
      file,
      tree: treeName,
      branch,
    });
  };
  const names = new Set(branches.map((b) => b.name));
  for (const name of Object.keys(columns)) {
    if (!names.has(name)) fail(name, `the tree has no such branch (branches: ${[...names].join(', ')})`);
  }
  let numEntries: number | undefined;
  for (const spec of branches) {
    const values = columns[spec.name];
    const info = leafTypes[spec.type];
    if (values === undefined) fail(spec.name, 'the column is missing');
    if (!info.isColumn(values)) fail(spec.name, `a ${spec.type} branch needs a ${info.arrayName}, got a ${values.constructor.name}`);
    if (spec.counter !== undefined) continue;
    if (numEntries === undefined) numEntries = values.length;
    else if (values.length !== numEntries) fail(spec.name, `the column has ${values.length} values, other flat columns ${numEntries}`);
  }
  for (const spec of branches) {
    if (spec.counter === undefined) continue;
    const counts = columns[spec.counter] as Int32Array;
    let total = 0;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] < 0) fail(spec.counter, `entry ${firstEntry + i} has the negative count ${counts[i]}`);
      total += counts[i];
    }
    const length = columns[spec.name].length;
    if (length !== total) fail(spec.name, `the column has ${length} values, but its counter ${spec.counter} adds up to ${total}`);
  }
  return numEntries ?? 0;
}

function checkBranches(file: string, treeName: string, branches: BranchSpec[]): void {
  const fail = (branch: string, message: string): never => {
    throw new InputError(`cannot create branch ${branch} of tree ${treeName} in ${file}: ${message}`, { file, tree: treeName, branch });
  };
  if (treeName.length === 0) throw new InputError(`cannot write a tree without a name to ${file}`, { file });
  const seen = new Map<string, BranchSpec>();
  for (const branch of branches) {
    if (branch.name.length === 0 || /[[\]/]/.test(branch.name)) fail(branch.name, 'a branch name must be non-empty and contain no [, ] or /');
    if (seen.has(branch.name)) fail(branch.name, 'the name appears twice');
    if (leafTypes[branch.type] === undefined) fail(branch.name, `unknown type '${branch.type}'; use one of ${Object.keys(leafTypes).join(', ')}`);
    if (branch.counter !== undefined) {
      const counter = seen.get(branch.counter);
      if (counter === undefined) fail(branch.name, `its counter ${branch.counter} must be a branch listed before it`);
      else if (counter.type !== 'int32' || counter.counter !== undefined) fail(branch.name, `its counter ${branch.counter} must be a flat int32 branch`);
    }
    seen.set(branch.name, branch);
  }
  if (branches.length > 0 && branches.every((b) => b.counter !== undefined)) {
    throw new InputError(`tree ${treeName} for ${file} needs at least one flat branch`, { file, tree: treeName });
  }
}

/**
 * Writes a whole tree from columns in memory, cut into clusters of `entriesPerBasket` entries
 * (default 10,000). Columns are as for `TreeWriter.write`.
 */
export async function writeTree(
  file: string,
  treeName: string,
  branches: BranchSpec[],
  columns: Record<string, ColumnValues>,
  options: TreeWriterOptions & { entriesPerBasket?: number } = {},
): Promise<TreeWriteSummary> {
  const entriesPerBasket = options.entriesPerBasket ?? 10_000;
  if (!Number.isInteger(entriesPerBasket) || entriesPerBasket < 1) {
    throw new InputError(`entriesPerBasket ${entriesPerBasket} for ${file} must be a positive integer`, { file });
  }
  const writer = await TreeWriter.create(file, treeName, branches, options);
  try {
    const numEntries = checkColumns(file, treeName, branches, columns, 0);
    // Value offsets per counter, so that jagged columns can be cut at entry boundaries.
    const valueOffsets = new Map<string, Float64Array>();
    for (const branch of branches) {
      if (branch.counter === undefined || valueOffsets.has(branch.counter)) continue;
      const counts = columns[branch.counter] as Int32Array;
      const offsets = new Float64Array(numEntries + 1);
      for (let i = 0; i < numEntries; i++) offsets[i + 1] = offsets[i] + counts[i];
      valueOffsets.set(branch.counter, offsets);
    }
    // With no entries, one empty write still checks the columns against the branches.
    if (numEntries === 0) await writer.write(columns);
    for (let start = 0; start < numEntries; start += entriesPerBasket) {
      const stop = Math.min(start + entriesPerBasket, numEntries);
      const chunk: Record<string, ColumnValues> = {};
      for (const branch of branches) {
        const values = columns[branch.name];
        const offsets = branch.counter === undefined ? undefined : valueOffsets.get(branch.counter);
        chunk[branch.name] = offsets === undefined ? values.subarray(start, stop) : values.subarray(offsets[start], offsets[stop]);
      }
      await writer.write(chunk);
    }
    return await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
