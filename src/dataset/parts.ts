/**
 * Dataset parts: the processed jets of one group of input files, stored on disk so that
 * groups can be built independently (one batch job each) and merged later in file order.
 *
 * A part is a directory `part-NNNNN/` with one raw little-endian file per array and
 * `part.json`, which is written last:
 * - wide arrays, float32 rows per jet: `global.f32`, `<group>.f32`, `spectators.f32`;
 * - narrow arrays [jets]: `label.i32`, `pt.f32`, `eta.f32`, `process_weight.f32` (the
 *   sampling weight of the file's process, 1 without processes) and, with processes,
 *   `process.i32`.
 */

import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, realpathSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { JetLayout } from './jet-arrays.js';
import type { DatasetManifest, InputFileRecord, JetArrays } from './types.js';

/** Outcome of one input file of a part: read, or skipped with a reason. */
export interface PartFileRecord {
  path: string;
  /** Name of the file's process; absent without processes. */
  process?: string;
  /** Present when the file was read. */
  input?: InputFileRecord;
  /** The reason, when the file was skipped as unreadable. */
  skipped?: string;
}

/** Contents of `part.json`. */
export interface PartSummary {
  format: 'bhive-dataset-part';
  version: 1;
  /** Processor that read the files, for the manifest. */
  processor: string;
  /** The input files of the part, in order. */
  files: string[];
  numJets: number;
  /** float32 values per jet of each wide array, keyed by array name. */
  widths: Record<string, number>;
  withProcess: boolean;
  records: PartFileRecord[];
  /** Jets removed, keyed by reason. */
  dropped: Record<string, number>;
  nonFinite: NonNullable<DatasetManifest['nonFinite']>;
}

/** Per-jet arrays of the merged parts, [jets] each. */
export interface NarrowArrays {
  numJets: number;
  label: Int32Array;
  pt: Float32Array;
  eta: Float32Array;
  processWeight: Float32Array;
  process?: Int32Array;
}

const PART_FILE = 'part.json';

/** Directory name of part `index`: part-00000, part-00001, ... */
export function partDirName(index: number): string {
  return `part-${String(index).padStart(5, '0')}`;
}

/** Splits `files` into consecutive groups of at most `filesPerPart` files. */
export function groupFiles(files: string[], filesPerPart: number): string[][] {
  if (!Number.isInteger(filesPerPart) || filesPerPart < 1) throw new RangeError(`files per part must be a positive integer; got ${filesPerPart}`);
  const groups: string[][] = [];
  for (let start = 0; start < files.length; start += filesPerPart) groups.push(files.slice(start, start + filesPerPart));
  return groups;
}

/** Returns the wide arrays of `layout` with their float32 values per jet, in a fixed order. */
export function wideArrays(layout: JetLayout): Array<[string, number]> {
  const arrays: Array<[string, number]> = [['global', layout.globalFeatures.length]];
  for (const group of layout.groups) arrays.push([group.name, group.maxCandidates * group.features.length]);
  if (layout.spectators && layout.spectators.length > 0) arrays.push(['spectators', layout.spectators.length]);
  return arrays;
}

/**
 * Returns the summary of the finished part in `dir` when it was built from exactly `files`,
 * or undefined when the part is missing, unfinished or was built from other files.
 */
export function readFinishedPart(dir: string, files: string[]): PartSummary | undefined {
  const file = path.join(dir, PART_FILE);
  if (!existsSync(file)) return undefined;
  let summary: PartSummary;
  try {
    summary = JSON.parse(readFileSync(file, 'utf8')) as PartSummary;
  } catch {
    // A damaged part.json marks an unfinished part, which the next build replaces.
    return undefined;
  }
  if (summary.format !== 'bhive-dataset-part' || !Array.isArray(summary.files)) return undefined;
  const sameFiles = summary.files.length === files.length && summary.files.every((f, i) => sameFile(f, files[i]));
  return sameFiles ? summary : undefined;
}

/** True when the paths `a` and `b` name the same file, also through symbolic links. */
function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function bytesOf(values: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * Writes one part into a temporary directory beside `dir` and renames it to `dir` in
 * {@link PartWriter.finish}, so a directory named like a part is always complete.
 */
export class PartWriter {
  numJets = 0;
  private readonly temporary: string;
  private readonly fds = new Map<string, number>();
  private readonly widths: Array<[string, number]>;

  constructor(
    private readonly dir: string,
    layout: JetLayout,
    private readonly withProcess: boolean,
  ) {
    this.temporary = `${dir}.partial-${process.pid}`;
    rmSync(this.temporary, { recursive: true, force: true });
    mkdirSync(this.temporary, { recursive: true });
    this.widths = wideArrays(layout);
    const names = [...this.widths.map(([name]) => `${name}.f32`), 'label.i32', 'pt.f32', 'eta.f32', 'process_weight.f32'];
    if (withProcess) names.push('process.i32');
    for (const name of names) this.fds.set(name, openSync(path.join(this.temporary, name), 'w'));
  }

  private write(name: string, values: Float32Array | Int32Array): void {
    const fd = this.fds.get(name);
    if (fd === undefined) throw new Error(`part array ${name} was not opened`);
    writeSync(fd, bytesOf(values));
  }

  /** Appends the jets of one file, all with the sampling weight `processWeight`. */
  append(jets: JetArrays, processWeight: number): void {
    for (const [name, width] of this.widths) {
      let values: Float32Array | undefined = jets.groups[name];
      if (name === 'global') values = jets.global;
      if (name === 'spectators') values = jets.spectators;
      this.write(`${name}.f32`, values ?? new Float32Array(jets.numJets * width));
    }
    this.write('label.i32', jets.label);
    this.write('pt.f32', jets.pt);
    this.write('eta.f32', jets.eta);
    this.write('process_weight.f32', new Float32Array(jets.numJets).fill(processWeight));
    if (this.withProcess) {
      if (jets.process === undefined) throw new Error('jets without a process index were appended to a part with processes');
      this.write('process.i32', jets.process);
    }
    this.numJets += jets.numJets;
  }

  /** Writes `part.json` and moves the part into place; another process that finished the same part first wins. */
  finish(summary: Omit<PartSummary, 'format' | 'version' | 'numJets' | 'widths' | 'withProcess'>): PartSummary {
    this.closeFiles();
    const full: PartSummary = {
      format: 'bhive-dataset-part',
      version: 1,
      ...summary,
      numJets: this.numJets,
      widths: Object.fromEntries(this.widths),
      withProcess: this.withProcess,
    };
    writeFileSync(path.join(this.temporary, PART_FILE), `${JSON.stringify(full, null, 2)}\n`);
    try {
      renameSync(this.temporary, this.dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      if (readFinishedPart(this.dir, summary.files) !== undefined) {
        // Another process finished the same part first.
        rmSync(this.temporary, { recursive: true, force: true });
      } else {
        // A stale directory: unfinished, damaged, or built from other files (another grouping).
        const stale = `${this.dir}.stale-${process.pid}`;
        renameSync(this.dir, stale);
        renameSync(this.temporary, this.dir);
        rmSync(stale, { recursive: true, force: true });
      }
    }
    return full;
  }

  /** Closes and deletes the unfinished part. */
  abort(): void {
    this.closeFiles();
    rmSync(this.temporary, { recursive: true, force: true });
  }

  private closeFiles(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

function readWhole(file: string): Uint8Array {
  if (!existsSync(file)) throw new InputError(`dataset part file ${file} is missing; delete its part directory to rebuild it`, { file });
  return readFileSync(file);
}

/**
 * Finished parts opened for merging: the narrow arrays of all parts in memory, concatenated
 * in part order, and the wide arrays read row by row from the part files.
 * NOTE: it keeps one file descriptor per part and wide array open, so thousands of parts
 * may reach the process's open-file limit.
 */
export class PartReader {
  readonly narrow: NarrowArrays;
  /** Index of the first jet of each part, plus the total at the end. */
  private readonly offsets: number[];
  private readonly fds: Map<string, number>[];

  constructor(
    dirs: string[],
    summaries: PartSummary[],
    private readonly layout: JetLayout,
  ) {
    const widths = wideArrays(layout);
    this.offsets = [0];
    for (const summary of summaries) this.offsets.push(this.offsets[this.offsets.length - 1] + summary.numJets);
    const numJets = this.offsets[this.offsets.length - 1];
    const withProcess = summaries.length > 0 && summaries.every((s) => s.withProcess);
    this.narrow = {
      numJets,
      label: new Int32Array(numJets),
      pt: new Float32Array(numJets),
      eta: new Float32Array(numJets),
      processWeight: new Float32Array(numJets),
      ...(withProcess ? { process: new Int32Array(numJets) } : {}),
    };
    this.fds = [];
    try {
      dirs.forEach((dir, p) => {
        for (const [name, width] of widths) {
          if (summaries[p].widths[name] !== width) {
            const stored = summaries[p].widths[name] ?? 0;
            throw new InputError(`dataset part ${dir} has ${stored} values per jet in '${name}' but the config expects ${width}; delete the part to rebuild it`, { file: dir });
          }
        }
        const offset = this.offsets[p];
        const copy = (name: string, target: Float32Array | Int32Array): void => {
          const file = path.join(dir, name);
          const bytes = readWhole(file);
          const expected = summaries[p].numJets * 4;
          if (bytes.length !== expected) {
            throw new InputError(`dataset part file ${file} has ${bytes.length} bytes but its part.json requires ${expected}; delete the part directory to rebuild it`, { file });
          }
          new Uint8Array(target.buffer, target.byteOffset + offset * 4, expected).set(bytes);
        };
        copy('label.i32', this.narrow.label);
        copy('pt.f32', this.narrow.pt);
        copy('eta.f32', this.narrow.eta);
        copy('process_weight.f32', this.narrow.processWeight);
        if (this.narrow.process) copy('process.i32', this.narrow.process);
        const fds = new Map<string, number>();
        this.fds.push(fds);
        for (const [name, width] of widths) {
          const file = path.join(dir, `${name}.f32`);
          if (!existsSync(file)) throw new InputError(`dataset part file ${file} is missing; delete its part directory to rebuild it`, { file });
          const fd = openSync(file, 'r');
          fds.set(name, fd);
          const expected = summaries[p].numJets * width * 4;
          if (fstatSync(fd).size !== expected) {
            throw new InputError(`dataset part file ${file} has ${fstatSync(fd).size} bytes but its part.json requires ${expected}; delete the part directory to rebuild it`, { file });
          }
        }
      });
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Returns the index of the part that contains jet `index` of the concatenation. */
  private partOf(index: number): number {
    let low = 0;
    let high = this.offsets.length - 2;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.offsets[middle] <= index) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /**
   * Reads the jets at `indices` (into the concatenation of all parts), in that order, with
   * the per-jet `weight` [jets] of all jets.
   */
  gather(indices: Int32Array, weight: Float32Array): JetArrays {
    const m = indices.length;
    const parts = new Int32Array(m);
    for (let j = 0; j < m; j++) parts[j] = this.partOf(indices[j]);
    const read = (name: string, width: number): Float32Array => {
      const result = new Float32Array(m * width);
      const rowBytes = width * 4;
      if (rowBytes === 0) return result;
      const bytes = new Uint8Array(result.buffer);
      for (let j = 0; j < m; j++) {
        const p = parts[j];
        const fd = this.fds[p].get(name) as number;
        readSync(fd, bytes, j * rowBytes, rowBytes, (indices[j] - this.offsets[p]) * rowBytes);
      }
      return result;
    };
    const groups: Record<string, Float32Array> = {};
    let global: Float32Array = new Float32Array(0);
    let spectators: Float32Array | undefined;
    for (const [name, width] of wideArrays(this.layout)) {
      const values = read(name, width);
      if (name === 'global') global = values;
      else if (name === 'spectators') spectators = values;
      else groups[name] = values;
    }
    const pick = <T extends Float32Array | Int32Array>(source: T, target: T): T => {
      for (let j = 0; j < m; j++) target[j] = source[indices[j]];
      return target;
    };
    const { label, pt, eta, process } = this.narrow;
    return {
      numJets: m,
      global,
      groups,
      ...(spectators ? { spectators } : {}),
      ...(process ? { process: pick(process, new Int32Array(m)) } : {}),
      label: pick(label, new Int32Array(m)),
      weight: pick(weight, new Float32Array(m)),
      pt: pick(pt, new Float32Array(m)),
      eta: pick(eta, new Float32Array(m)),
    };
  }

  close(): void {
    for (const fds of this.fds) for (const fd of fds.values()) closeSync(fd);
    this.fds.length = 0;
  }
}
