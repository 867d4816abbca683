import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { Random } from '../../src/random.js';
import { RootFile } from '../../src/root/index.js';
import { TreeWriter, writeTree, type BranchSpec, type ColumnValues } from '../../src/root/writer/index.js';
import { readRows, readTreeObject } from './jsroot-read.js';

const branches: BranchSpec[] = [
  { name: 'nTrack', type: 'int32' },
  { name: 'track_pt', type: 'float32', counter: 'nTrack' },
  { name: 'track_d0', type: 'float64', counter: 'nTrack' },
  { name: 'pt', type: 'float32' },
  { name: 'mass', type: 'float64' },
  { name: 'event', type: 'int64' },
  { name: 'isB', type: 'bool' },
  { name: 'flavour', type: 'uint8' },
  { name: 'nSv', type: 'int32' },
  { name: 'sv_mass', type: 'float32', counter: 'nSv' },
];

/** Random columns for `numEntries` entries; some entries have no tracks. */
function makeColumns(numEntries: number, seed: number): Record<string, ColumnValues> {
  const random = new Random(seed);
  const nTrack = Int32Array.from({ length: numEntries }, () => (random.uniform() < 0.2 ? 0 : random.integer(12)));
  const nSv = Int32Array.from({ length: numEntries }, () => random.integer(3));
  const numTracks = nTrack.reduce((a, b) => a + b, 0);
  const numSvs = nSv.reduce((a, b) => a + b, 0);
  return {
    nTrack,
    track_pt: Float32Array.from({ length: numTracks }, () => random.normal() * 10),
    track_d0: Float64Array.from({ length: numTracks }, () => random.normal() * 1e-3),
    pt: Float32Array.from({ length: numEntries }, () => 20 + 100 * random.uniform()),
    mass: Float64Array.from({ length: numEntries }, () => random.uniform() * 1e6 + 1 / 3),
    event: BigInt64Array.from({ length: numEntries }, (_, i) => BigInt(i) * 3_000_000_000n - 7n),
    isB: Uint8Array.from({ length: numEntries }, () => (random.uniform() < 0.3 ? 1 : 0)),
    flavour: Uint8Array.from({ length: numEntries }, () => random.integer(256)),
    nSv,
    sv_mass: Float32Array.from({ length: numSvs }, () => random.uniform() * 5),
  };
}

/** The values of entry `entry` of a jagged column, given its counter column. */
function entryValues(values: ColumnValues, counts: Int32Array, entry: number): number[] {
  let start = 0;
  for (let i = 0; i < entry; i++) start += counts[i];
  return Array.from(values.subarray(start, start + counts[entry]) as Float32Array | Float64Array);
}

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bhive-root-writer-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeTree', () => {
  const numEntries = 1234;
  const columns = makeColumns(numEntries, 7);
  let file: string;

  before(async () => {
    file = path.join(dir, 'round-trip.root');
    const summary = await writeTree(file, 'events', branches, columns, { title: 'test tree', entriesPerBasket: 500 });
    assert.equal(summary.numEntries, numEntries);
    assert.equal(summary.numBaskets, 3 * branches.length);
  });

  test('jsroot reads every value back', async () => {
    const rows = await readRows(file, 'events', branches.map((b) => b.name));
    assert.equal(rows.length, numEntries);
    const nTrack = columns.nTrack as Int32Array;
    const nSv = columns.nSv as Int32Array;
    for (let i = 0; i < numEntries; i++) {
      const row = rows[i];
      assert.equal(row.nTrack, nTrack[i], `nTrack of entry ${i}`);
      assert.deepEqual(row.track_pt, entryValues(columns.track_pt, nTrack, i), `track_pt of entry ${i}`);
      assert.deepEqual(row.track_d0, entryValues(columns.track_d0, nTrack, i), `track_d0 of entry ${i}`);
      assert.equal(row.pt, columns.pt[i], `pt of entry ${i}`);
      assert.equal(row.mass, columns.mass[i], `mass of entry ${i}`);
      assert.equal(BigInt(row.event as number | bigint), columns.event[i], `event of entry ${i}`);
      assert.equal(Boolean(row.isB), columns.isB[i] === 1, `isB of entry ${i}`);
      assert.equal(row.flavour, columns.flavour[i], `flavour of entry ${i}`);
      assert.deepEqual(row.sv_mass, entryValues(columns.sv_mass, nSv, i), `sv_mass of entry ${i}`);
    }
  });

  test('bhive reader reads every value back', async () => {
    const rootFile = await RootFile.open(file);
    try {
      const tree = await rootFile.tree('events');
      assert.equal(tree.numEntries, numEntries);
      const chunk = await tree.arrays(branches.map((b) => b.name));
      for (const branch of branches) {
        const column = chunk.columns.get(branch.name);
        assert.ok(column !== undefined, branch.name);
        if (branch.counter === undefined) {
          assert.equal(column.kind, 'flat', branch.name);
          assert.deepEqual(Array.from(column.values as ArrayLike<number>, Number), Array.from(columns[branch.name] as ArrayLike<number>, Number), branch.name);
        } else {
          assert.equal(column.kind, 'jagged', branch.name);
          if (column.kind !== 'jagged') continue;
          assert.deepEqual(column.values, columns[branch.name], branch.name);
          const counts = columns[branch.counter] as Int32Array;
          for (let i = 0; i < numEntries; i++) assert.equal(column.offsets[i + 1] - column.offsets[i], counts[i], `${branch.name} entry ${i}`);
        }
      }
    } finally {
      await rootFile.close();
    }
  });

  test('tree metadata describes branches, leaves and clusters', async () => {
    const { tree, compress } = await readTreeObject(file, 'events');
    assert.equal(compress, 101);
    assert.equal(tree.fEntries, numEntries);
    assert.equal(tree.fAutoFlush, 500);
    assert.equal(tree.fNClusterRange, 0);
    assert.deepEqual(tree.fLeaves.arr.map((l) => l.fName), branches.map((b) => b.name));
    const titles = Object.fromEntries(tree.fBranches.arr.map((b) => [b.fName, b.fTitle]));
    assert.equal(titles.track_pt, 'track_pt[nTrack]/F');
    assert.equal(titles.track_d0, 'track_d0[nTrack]/D');
    assert.equal(titles.event, 'event/L');
    assert.equal(titles.isB, 'isB/O');
    assert.equal(titles.flavour, 'flavour/b');
    const trackPt = tree.fBranches.arr.find((b) => b.fName === 'track_pt');
    assert.equal(trackPt?.fLeaves.arr[0].fLeafCount?.fName, 'nTrack');
    assert.deepEqual(Array.from(trackPt?.fBasketEntry ?? []), [0, 500, 1000, numEntries]);
    const counter = tree.fBranches.arr.find((b) => b.fName === 'nTrack')?.fLeaves.arr[0];
    assert.equal(counter?.fIsRange, true);
    assert.equal(counter?.fMaximum, Math.max(...(columns.nTrack as Int32Array)));
  });

  test('same data give identical bytes', async () => {
    const again = path.join(dir, 'again', 'round-trip.root');
    await mkdir(path.dirname(again));
    await writeTree(again, 'events', branches, columns, { title: 'test tree', entriesPerBasket: 500 });
    assert.deepEqual(await readFile(again), await readFile(file));
  });
});

describe('TreeWriter', () => {
  test('uneven chunks become cluster ranges', async () => {
    const file = path.join(dir, 'uneven.root');
    const writer = await TreeWriter.create(file, 't', [{ name: 'x', type: 'int32' }], { compression: { algorithm: 'none' } });
    for (const size of [3, 3, 5, 2]) await writer.write({ x: Int32Array.from({ length: size }, (_, i) => writer.entries + i) });
    await writer.close();
    const { tree, compress } = await readTreeObject(file, 't');
    assert.equal(compress, 0);
    assert.equal(tree.fNClusterRange, 1);
    assert.equal(tree.fAutoFlush, 5);
    const rows = await readRows(file, 't', ['x']);
    assert.deepEqual(rows.map((r) => r.x), Array.from({ length: 13 }, (_, i) => i));
  });

  test('tree without entries', async () => {
    const file = path.join(dir, 'empty.root');
    const summary = await writeTree(file, 'empty', [{ name: 'n', type: 'int32' }, { name: 'v', type: 'float32', counter: 'n' }], {
      n: new Int32Array(0),
      v: new Float32Array(0),
    });
    assert.equal(summary.numEntries, 0);
    const { tree } = await readTreeObject(file, 'empty');
    assert.equal(tree.fEntries, 0);
    assert.equal(tree.fBranches.arr.length, 2);
  });

  test('jagged column with wrong length', async () => {
    const file = path.join(dir, 'bad-length.root');
    await assert.rejects(
      writeTree(file, 't', [{ name: 'n', type: 'int32' }, { name: 'v', type: 'float32', counter: 'n' }], {
        n: Int32Array.of(1, 2),
        v: new Float32Array(4),
      }),
      (error: unknown) => error instanceof InputError && /branch v .*4 values.*adds up to 3/.test(error.message),
    );
    assert.equal(existsSync(file), false);
    assert.deepEqual((await readdir(dir)).filter((name) => name.includes('partial')), []);
  });

  test('column of the wrong array type', async () => {
    await assert.rejects(
      writeTree(path.join(dir, 'bad-type.root'), 't', [{ name: 'x', type: 'float32' }], { x: new Float64Array(3) }),
      (error: unknown) => error instanceof InputError && /float32 branch needs a Float32Array, got a Float64Array/.test(error.message),
    );
  });

  test('counter declared after its branch', async () => {
    await assert.rejects(
      TreeWriter.create(path.join(dir, 'bad-counter.root'), 't', [{ name: 'v', type: 'float32', counter: 'n' }, { name: 'n', type: 'int32' }]),
      (error: unknown) => error instanceof InputError && /counter n must be a branch listed before it/.test(error.message),
    );
  });

  test('abort leaves no file', async () => {
    const file = path.join(dir, 'aborted.root');
    const writer = await TreeWriter.create(file, 't', [{ name: 'x', type: 'float32' }]);
    await writer.write({ x: Float32Array.of(1, 2, 3) });
    await writer.abort();
    assert.equal(existsSync(file), false);
    assert.deepEqual((await readdir(dir)).filter((name) => name.includes('partial')), []);
  });
});
