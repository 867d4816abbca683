import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { BhiveError } from '../../src/errors.js';
import { RootFile } from '../../src/root/index.js';
import { Random } from '../../src/random.js';
import { sharedData } from '../helpers/paths.js';

// Damaged copies of real files must either read completely or fail with a BhiveError:
// never another exception, a hang, an unhandled rejection, or fewer entries than the tree claims.

const INPUTS: Array<[string, string]> = [
  [sharedData('reader', 'uproot-HZZ-zlib.root'), 'events'],
  [sharedData('reader', 'uproot-HZZ-lz4.root'), 'events'],
  [sharedData('reader', 'uproot-HZZ-zstd.root'), 'events'],
  [sharedData('reader', 'uproot-HZZ-lzma.root'), 'events'],
  [sharedData('reader', 'uproot-HZZ-uncompressed.root'), 'events'],
  [sharedData('reader', 'uproot-small-dy-nooffsets.root'), 'tree'],
  [sharedData('reader', 'uproot-foriter.root'), 'foriter'],
  [sharedData('reader', 'uproot-issue21.root'), 'nllscan'],
  [sharedData('reader', 'uproot-vectorVectorDouble.root'), 't'],
  [sharedData('jets-nanox', 'train_1.root'), 'jets'],
];
const CASES_PER_INPUT = Number(process.env.BHIVE_FUZZ_CASES ?? 12);
const CASE_TIMEOUT_MS = 10000;

type Outcome = 'complete' | 'error';

/** Reads every supported branch of the tree; returns 'error' for a BhiveError and rethrows anything else. */
async function readAll(file: string, treeName: string): Promise<Outcome> {
  let rootFile: RootFile | undefined;
  try {
    rootFile = await RootFile.open(file);
    const tree = await rootFile.tree(treeName);
    const branches = tree.branchInfo().filter((b) => b.interpretation !== undefined).map((b) => b.name);
    for await (const chunk of tree.iterate(branches, { stepSize: 1000 })) {
      for (const [name, column] of chunk.columns) {
        const numEntries = chunk.entryStop - chunk.entryStart;
        if (column.kind === 'flat') assert.equal(column.values.length, numEntries * column.itemsPerEntry, name);
        else if (column.kind !== 'record') assert.equal(column.offsets.length, numEntries + 1, name);
      }
    }
    return 'complete';
  } catch (error) {
    if (error instanceof BhiveError) return 'error';
    throw error;
  } finally {
    await rootFile?.close();
  }
}

function damage(bytes: Uint8Array, random: Random): { data: Uint8Array; description: string } {
  const kind = random.integer(3);
  if (kind === 0) {
    const length = random.integer(bytes.length);
    return { data: bytes.slice(0, length), description: `truncated to ${length} bytes` };
  }
  const data = bytes.slice();
  const count = kind === 1 ? 1 + random.integer(4) : 1 + random.integer(64);
  const positions: number[] = [];
  for (let i = 0; i < count; i++) {
    const position = random.integer(data.length);
    data[position] = random.integer(256);
    positions.push(position);
  }
  return { data, description: `${count} bytes overwritten at ${positions.slice(0, 8).join(', ')}` };
}

async function withTimeout<T>(promise: Promise<T>, description: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${CASE_TIMEOUT_MS} ms: ${description}`)), CASE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

test('damaged files never crash or lose entries', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', onUnhandled);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bhive-fuzz-'));
  const random = new Random(Number(process.env.BHIVE_FUZZ_SEED ?? 20240611));
  const counts: Record<Outcome, number> = { complete: 0, error: 0 };
  // jsroot reports some damage on the console before bhive raises its error.
  const consoleMethods = { log: console.log, error: console.error, warn: console.warn };
  console.log = () => {};
  console.error = () => {};
  console.warn = () => {};
  try {
    for (const [source, tree] of INPUTS) {
      const original = new Uint8Array(await readFile(source));
      assert.equal(await readAll(source, tree), 'complete', `${source} must read before damage`);
      for (let c = 0; c < CASES_PER_INPUT; c++) {
        const { data, description } = damage(original, random);
        const file = path.join(dir, `${path.basename(source, '.root')}-${c}.root`);
        await writeFile(file, data);
        const what = `${path.basename(source)} ${description}`;
        try {
          counts[await withTimeout(readAll(file, tree), what)]++;
        } catch (error) {
          assert.fail(`${what}: ${error instanceof Error ? error.stack : String(error)}`);
        }
        await rm(file);
      }
    }
  } finally {
    Object.assign(console, consoleMethods);
    process.off('unhandledRejection', onUnhandled);
    await rm(dir, { recursive: true, force: true });
  }
  assert.deepEqual(unhandled, []);
  assert.ok(counts.error > 0, 'some damage must be detected');
  if (process.env.BHIVE_FUZZ_CASES) process.stdout.write(`fuzz outcomes: ${JSON.stringify(counts)}\n`);
});
