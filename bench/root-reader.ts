/**
 * Throughput of ROOT reading, side by side in one process: bhive's basket reader, jsroot's
 * per-entry TSelector loop, and the decompressor alone on the same compressed blocks that
 * bhive decoded. The decompressors are node:zlib for zlib, @napi-rs/lzma, zstd-napi, and
 * bhive's LZ4 decoder.
 *
 * Flat and jagged branches are measured separately on the HZZ file in five encodings and
 * on NanoAOD files. MB/s counts uncompressed basket bytes (entry data and entry offset
 * tables, as the decompressor outputs them). The last column divides bhive's rate by the
 * decompressor's, and it can exceed 1 where part of the data is stored uncompressed
 * ("compressed share" below 100%). Every read is repeated for at least
 * `BHIVE_BENCH_SECONDS` (default 0.5) seconds, which is how the small shared files stand
 * in for large inputs.
 *
 * Run alone: `npx tsc -p . && node dist/bench/root-reader.js`.
 * Data: $BHIVE_DATA_ROOT, else ../shared/data beside the repository.
 */

import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFile as untypedOpenFile, TSelector as UntypedTSelector, treeProcess as untypedTreeProcess } from 'jsroot';
import { type Decompressors, nativeDecompressors, RootFile } from '../src/root/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = process.env.BHIVE_DATA_ROOT ?? path.resolve(root, '..', 'shared', 'data');
const minSeconds = Number(process.env.BHIVE_BENCH_SECONDS ?? 0.5);

// jsroot 7.11 has no type declarations, so the members used here are typed at this boundary.
interface Selector {
  tgtobj: Record<string, number | ArrayLike<number>>;
  addBranch(name: string): number;
  Process(): void;
}
const openJsroot: (file: string) => Promise<{ readObject(name: string): Promise<object> }> = untypedOpenFile;
const treeProcess: (tree: object, selector: Selector) => Promise<unknown> = untypedTreeProcess;

interface Input {
  label: string;
  file: string;
  tree: string;
}

const INPUTS: Input[] = [
  ...['zlib', 'lz4', 'zstd', 'lzma', 'uncompressed'].map((encoding) => ({
    label: `HZZ ${encoding}`,
    file: path.join(dataDir, 'reader', `uproot-HZZ-${encoding}.root`),
    tree: 'events',
  })),
  { label: 'NanoAOD ttH (LZMA)', file: path.join(dataDir, 'nanoaod', 'ttH_M125_2017.root'), tree: 'Events' },
  { label: 'NanoAOD DY (LZMA)', file: path.join(dataDir, 'nanoaod', 'DYJetsToLL--UL17_v6-v2_109_Skim.root'), tree: 'Events' },
];

interface Measurement {
  seconds: number;
  repetitions: number;
}

async function repeat(run: () => Promise<void>): Promise<Measurement> {
  await run();
  let repetitions = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minSeconds * 1000 || repetitions < 3) {
    await run();
    repetitions++;
    elapsed = performance.now() - start;
  }
  return { seconds: elapsed / 1000 / repetitions, repetitions };
}

/** Wraps the native decompressors to record every basket block while `recording.on`, so the codec can be timed alone. */
function recordingDecompressors(blocks: Array<[keyof Decompressors, Uint8Array, number]>, recording: { on: boolean }): Decompressors {
  const record = (name: keyof Decompressors) => (payload: Uint8Array, size: number): Uint8Array => {
    if (recording.on) blocks.push([name, payload.slice(), size]);
    return nativeDecompressors[name](payload, size);
  };
  return { zlib: record('zlib'), deflateRaw: record('deflateRaw'), lzma: record('lzma'), zstd: record('zstd'), lz4: record('lz4') };
}

async function branchSets(input: Input): Promise<{ flat: string[]; jagged: string[] }> {
  const file = await RootFile.open(input.file);
  const tree = await file.tree(input.tree);
  const flat: string[] = [];
  const jagged: string[] = [];
  const nano = input.label.startsWith('NanoAOD');
  for (const name of tree.branchNames) {
    let interpretation;
    try {
      interpretation = tree.interpretation(name);
    } catch {
      continue;
    }
    if (interpretation.kind === 'flat' && interpretation.itemsPerEntry === 1 && interpretation.element.dtype !== 'bool') flat.push(name);
    if (interpretation.kind === 'jagged' && (!nano || name.startsWith('Jet_'))) jagged.push(name);
  }
  await file.close();
  return { flat: nano ? flat.filter((name) => !name.startsWith('HLT_') && !name.startsWith('L1_')) : flat, jagged };
}

interface Row {
  input: string;
  kind: string;
  numBranches: number;
  entries: number;
  megabytes: number;
  /** Uncompressed megabytes that came out of compressed blocks; the rest was stored uncompressed. */
  blockMegabytes: number;
  bhive: Measurement;
  jsroot: Measurement | undefined;
  decompressorOnly: Measurement | undefined;
}

async function measure(input: Input, kind: string, branches: string[]): Promise<Row> {
  const blocks: Array<[keyof Decompressors, Uint8Array, number]> = [];
  // Only the baskets are recorded, not the keys and TTree object that opening decompresses.
  const recording = { on: false };
  const recorder = await RootFile.open(input.file, { decompressors: recordingDecompressors(blocks, recording) });
  const recordedTree = await recorder.tree(input.tree);
  recording.on = true;
  await recordedTree.arrays(branches);
  recording.on = false;
  const megabytes = recordedTree.counters.uncompressedBytes / 1e6;
  const entries = recordedTree.numEntries;
  await recorder.close();

  const file = await RootFile.open(input.file);
  const tree = await file.tree(input.tree);
  const bhive = await repeat(async () => {
    await tree.arrays(branches);
  });
  await file.close();

  const decompressorOnly = blocks.length === 0 ? undefined : await repeat(async () => {
    for (const [name, payload, size] of blocks) nativeDecompressors[name](payload, size);
  });

  let jsroot: Measurement | undefined;
  try {
    const jsrootTree = await (await openJsroot(input.file)).readObject(input.tree);
    jsroot = await repeat(async () => {
      const selector: Selector = new UntypedTSelector();
      for (const name of branches) selector.addBranch(name);
      let sum = 0;
      selector.Process = () => {
        for (const name of branches) {
          const value = selector.tgtobj[name];
          if (typeof value === 'number') sum += value;
          else for (let i = 0; i < value.length; i++) sum += value[i];
        }
      };
      await treeProcess(jsrootTree, selector);
      if (Number.isNaN(sum)) process.stdout.write('');
    });
  } catch {
    jsroot = undefined;
  }
  const blockMegabytes = blocks.reduce((total, [, , size]) => total + size, 0) / 1e6;
  return { input: input.label, kind, numBranches: branches.length, entries, megabytes, blockMegabytes, bhive, jsroot, decompressorOnly };
}

function rate(megabytes: number, measurement: Measurement | undefined): string {
  return measurement ? (megabytes / measurement.seconds).toFixed(1) : 'n/a';
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  process.stdout.write(`machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `Node.js ${process.version}, ${os.platform()} ${os.arch()}\n`);
  process.stdout.write(`each read repeated for at least ${minSeconds} s; MB/s of uncompressed basket bytes\n\n`);
  const header = ['input', 'branches', 'entries', 'MB', 'compressed share', 'bhive MB/s', 'bhive entries/s', 'jsroot MB/s',
    'decompressor alone MB/s', 'bhive / jsroot', 'bhive / decompressor'];
  process.stdout.write(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n`);
  for (const input of INPUTS) {
    const sets = await branchSets(input);
    for (const [kind, branches] of [['flat', sets.flat], ['jagged', sets.jagged]] as const) {
      if (branches.length === 0) continue;
      const row = await measure(input, kind, branches);
      const bhiveRate = row.megabytes / row.bhive.seconds;
      const cells = [
        `${row.input}, ${row.kind}`,
        String(row.numBranches),
        String(row.entries),
        row.megabytes.toFixed(2),
        `${((100 * row.blockMegabytes) / row.megabytes).toFixed(0)}%`,
        bhiveRate.toFixed(1),
        (row.entries / row.bhive.seconds).toFixed(0),
        rate(row.megabytes, row.jsroot),
        // The decompressor's rate counts only the bytes of its own blocks.
        rate(row.blockMegabytes, row.decompressorOnly),
        row.jsroot ? `${(row.jsroot.seconds / row.bhive.seconds).toFixed(1)}x` : 'n/a',
        row.decompressorOnly ? (bhiveRate / (row.blockMegabytes / row.decompressorOnly.seconds)).toFixed(2) : 'n/a',
      ];
      process.stdout.write(`| ${cells.join(' | ')} |\n`);
    }
  }
}

await main();
