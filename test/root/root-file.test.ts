import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError, UnsupportedError } from '../../src/errors.js';
import { RootFile, type Column, type NumericArray } from '../../src/root/index.js';
import { sharedData } from '../helpers/paths.js';

// Expected values were read with uproot 5, independently of bhive and jsroot.

const reader = (name: string): string => sharedData('reader', name);

function sum(values: NumericArray): number {
  let total = 0;
  for (const value of values) total += Number(value);
  return total;
}

async function readTree(file: string, tree: string, branches: string[]): Promise<Map<string, Column>> {
  const rootFile = await RootFile.open(file);
  try {
    return (await (await rootFile.tree(tree)).arrays(branches)).columns;
  } finally {
    await rootFile.close();
  }
}

function values(columns: Map<string, Column>, name: string): NumericArray {
  const column = columns.get(name);
  assert.ok(column && column.kind !== 'record', name);
  return column.values;
}

const HZZ_FILES = ['uproot-HZZ.root', 'uproot-HZZ-zlib.root', 'uproot-HZZ-lz4.root', 'uproot-HZZ-lzma.root', 'uproot-HZZ-zstd.root', 'uproot-HZZ-uncompressed.root'];

test('HZZ encodings give the known jets', async () => {
  for (const name of HZZ_FILES) {
    const columns = await readTree(reader(name), 'events', ['Jet_Px']);
    const column = columns.get('Jet_Px');
    assert.ok(column?.kind === 'jagged', name);
    assert.equal(column.offsets.length, 2422, name);
    assert.equal(column.offsets[2421], 2773, name);
    assert.equal(sum(column.values).toFixed(3), '3434.918', name);
  }
});

test('HZZ encodings give identical columns', async () => {
  const rootFile = await RootFile.open(reader(HZZ_FILES[0]));
  const branches = (await rootFile.tree('events')).branchNames;
  await rootFile.close();
  const reference = await readTree(reader(HZZ_FILES[0]), 'events', branches);
  for (const name of HZZ_FILES.slice(1)) {
    const columns = await readTree(reader(name), 'events', branches);
    for (const branch of branches) assert.deepEqual(columns.get(branch), reference.get(branch), `${name} ${branch}`);
  }
});

test('jagged with and without offset tables', async () => {
  for (const name of ['uproot-small-dy-withoffsets.root', 'uproot-small-dy-nooffsets.root']) {
    const columns = await readTree(reader(name), 'tree', ['Jet_pt', 'Muon_pt']);
    assert.equal(values(columns, 'Jet_pt').length, 2165, name);
    assert.equal(sum(values(columns, 'Jet_pt')), 68349.8125, name);
    assert.equal(values(columns, 'Muon_pt').length, 302, name);
    assert.equal(sum(values(columns, 'Muon_pt')), 10095.197049617767, name);
  }
});

test('never-closed files with baskets in the tree', async () => {
  const small = await readTree(reader('uproot-issue21.root'), 'nllscan', ['mH']);
  assert.equal(values(small, 'mH').length, 61);
  assert.equal(sum(values(small, 'mH')), 7625);
  const large = await readTree(reader('uproot-issue60.root'), 'nllscan', ['mH', 'nll']);
  assert.equal(values(large, 'mH').length, 11535);
  // Sums of 11,535 doubles differ in the last digits with the order of summation.
  assert.ok(Math.abs(sum(values(large, 'mH')) - 1442934.8904486368) < 1e-6);
  assert.ok(Math.abs(sum(values(large, 'nll')) - -10208171851.634129) < 1e-3);
});

test('64-bit header with a million entries', async () => {
  const columns = await readTree(reader('uproot-issue412.root'), 'test', ['b1', 'b2']);
  const b1 = values(columns, 'b1');
  assert.ok(b1 instanceof BigInt64Array);
  assert.equal(b1.length, 1000000);
  assert.equal(b1.reduce((total, v) => total + v, 0n), 152108052n);
  assert.equal(sum(values(columns, 'b2')), 333756);
});

test('many small baskets', async () => {
  const columns = await readTree(reader('uproot-foriter.root'), 'foriter', ['data']);
  assert.equal(values(columns, 'data').length, 46);
  assert.equal(sum(values(columns, 'data')), 1035);
});

test('Double32 and Float16 packed ranges', async () => {
  const columns = await readTree(reader('uproot-double32-float16.root'), 'tree', ['double32_32', 'float16_16', 'array_30']);
  // uproot scales 32-bit values by 2^32 where ROOT uses 0xffffffff, so the sums agree to the packing step (3e-9 per value).
  assert.ok(Math.abs(sum(values(columns, 'double32_32')) - 40.49999998058193) < 17 * 3e-9);
  assert.ok(values(columns, 'double32_32') instanceof Float64Array);
  assert.equal(Number(values(columns, 'double32_32')[0]).toFixed(6), '-2.000000');
  // 16 bits over [-2.71, 10] is a step of 2e-4.
  assert.ok(Math.abs(Number(values(columns, 'float16_16')[0]) - -2) < 2e-4);
  assert.equal(values(columns, 'array_30').length, 51);
});

test('nested directories', async () => {
  const rootFile = await RootFile.open(reader('uproot-nesteddirs.root'));
  assert.deepEqual(rootFile.treePaths().sort(), ['one/tree', 'one/two/tree', 'three/tree']);
  await rootFile.close();
  const columns = await readTree(reader('uproot-nesteddirs.root'), 'one/two/tree', ['Int64']);
  assert.equal(values(columns, 'Int64').length, 100);
  assert.equal(sum(values(columns, 'Int64')), 4950);
});

const SAMPLE_FILES = ['5.23.02-zlib', '6.20.04-zlib', '6.20.04-lz4', '6.20.04-lzma', '6.20.04-uncompressed'].map((v) => `uproot-sample-${v}.root`);

test('sample files give identical columns', async () => {
  const branches = ['n', 'b', 'ab', 'Ab', 'i1', 'ai1', 'Ai1', 'u1', 'au1', 'Au1', 'i2', 'ai2', 'Ai2', 'u2', 'au2', 'Au2',
    'i4', 'ai4', 'Ai4', 'u4', 'au4', 'Au4', 'i8', 'ai8', 'Ai8', 'u8', 'au8', 'Au8', 'f4', 'af4', 'Af4', 'f8', 'af8', 'Af8'];
  const reference = await readTree(reader(SAMPLE_FILES[0]), 'sample', branches);
  const ab = reference.get('ab');
  assert.ok(ab?.kind === 'flat');
  assert.equal(ab.itemsPerEntry, 3);
  assert.equal(ab.values.length, 90);
  assert.equal(sum(ab.values), 45);
  for (const name of SAMPLE_FILES.slice(1)) {
    const columns = await readTree(reader(name), 'sample', branches);
    for (const branch of branches) assert.deepEqual(columns.get(branch), reference.get(branch), `${name} ${branch}`);
  }
});

test('string branch is unsupported', async () => {
  await assert.rejects(readTree(reader(SAMPLE_FILES[1]), 'sample', ['str']), (error: unknown) => {
    assert.ok(error instanceof UnsupportedError);
    assert.equal(error.context.branch, 'str');
    assert.match(error.message, /a string \(TLeafC\)/);
    return true;
  });
});

test('leaf list fields', async () => {
  const column = (await readTree(reader('uproot-leaflist.root'), 'tree', ['leaflist'])).get('leaflist');
  assert.ok(column?.kind === 'record');
  const field = (name: string): number[] => {
    const f = column.fields.get(name);
    assert.ok(f && f.kind === 'flat');
    return [...f.values].map(Number);
  };
  assert.deepEqual(field('x'), [1.1, 2.2, 3.3, 4, 5.5]);
  assert.deepEqual(field('y'), [1, 2, 3, 4, 5]);
  assert.deepEqual(field('z'), [97, 98, 99, 100, 101]);
});

test('vector of vectors', async () => {
  const column = (await readTree(reader('uproot-vectorVectorDouble.root'), 't', ['x'])).get('x');
  assert.ok(column?.kind === 'jagged2');
  // [[], [[], []], [[10], [], [10, 20]], [[20, -21, -22]], [[200], [-201], [202]]]
  assert.deepEqual([...column.offsets], [0, 0, 2, 5, 6, 9]);
  assert.deepEqual([...column.innerOffsets], [0, 0, 0, 1, 1, 3, 6, 7, 8, 9]);
  assert.deepEqual([...column.values], [10, 10, 20, 20, -21, -22, 200, -201, 202]);
});

test('empty trees give empty columns', async () => {
  const empty = await readTree(reader('uproot-empty.root'), 'tree', ['x', 'y']);
  assert.equal(values(empty, 'x').length, 0);
  assert.equal(values(empty, 'y').length, 0);

  for (const [name, paths] of [['uproot-issue335.root', ['empty_tree']], ['hiforest_empty_trees.root', undefined]] as const) {
    const rootFile = await RootFile.open(reader(name));
    for (const path of paths ?? rootFile.treePaths()) {
      const tree = await rootFile.tree(path);
      assert.equal(tree.numEntries, 0, `${name} ${path}`);
      const branches = [...tree.meta.branches.keys()];
      const { columns } = await tree.arrays(branches);
      for (const [branch, column] of columns) {
        if (column.kind !== 'record') assert.equal(column.values.length, 0, `${name} ${path} ${branch}`);
      }
    }
    await rootFile.close();
  }
});

test('file without keys opens empty', async () => {
  const rootFile = await RootFile.open(reader('uproot-issue70.root'));
  assert.deepEqual(rootFile.keys(), []);
  await assert.rejects(rootFile.tree('tree'), /no trees/);
  await rootFile.close();
});

test('unclosed file without keys is an error', async () => {
  await assert.rejects(RootFile.open(reader('coffea_bad_delphes.root')), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /was not closed properly/);
    assert.match(error.message, /nothing could be recovered/);
    return true;
  });
});

test('negative header version', async () => {
  const file = reader('coffea_nano_dy_SpecialTree.root');
  const rootFile = await RootFile.open(file);
  assert.deepEqual(rootFile.treePaths().sort(), ['Events', 'NotEvents', 'Runs']);
  assert.equal((await rootFile.tree('NotEvents')).numEntries, 40);
  assert.equal((await rootFile.tree('Runs')).numEntries, 1);
  await rootFile.close();
  const columns = await readTree(file, 'Events', ['luminosityBlock']);
  assert.equal(values(columns, 'luminosityBlock').length, 40);
  assert.equal(sum(values(columns, 'luminosityBlock')), 555560);
});

test('entry range reads overlapping baskets only', async () => {
  const rootFile = await RootFile.open(reader('uproot-foriter.root'));
  const tree = await rootFile.tree('foriter');
  const all = values((await tree.arrays(['data'])).columns, 'data');
  const before = tree.counters.basketsRead;
  const part = await tree.arrays(['data'], { entryStart: 7, entryStop: 13 });
  assert.deepEqual([...values(part.columns, 'data')], [...all.subarray(7, 13)]);
  // The baskets hold 6 entries each, so entries 7-13 lie in baskets 1 and 2.
  assert.equal(tree.counters.basketsRead - before, 2);
  await rootFile.close();
});

test('jagged entry range across baskets', async () => {
  const file = reader('uproot-small-dy-nooffsets.root');
  const rootFile = await RootFile.open(file);
  const tree = await rootFile.tree('tree');
  const all = (await tree.arrays(['Jet_pt'])).columns.get('Jet_pt');
  const part = (await tree.arrays(['Jet_pt'], { entryStart: 150, entryStop: 450 })).columns.get('Jet_pt');
  assert.ok(all?.kind === 'jagged' && part?.kind === 'jagged');
  const first = all.offsets[150];
  assert.deepEqual([...part.offsets], [...all.offsets.subarray(150, 451)].map((o) => o - first));
  assert.deepEqual([...part.values], [...all.values.subarray(first, all.offsets[450])]);
  await rootFile.close();
});

test('missing branch suggests names', async () => {
  await assert.rejects(readTree(reader('uproot-HZZ.root'), 'events', ['Jet_PX']), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.context.branch, 'Jet_PX');
    assert.match(error.message, /Did you mean 'Jet_Px'/);
    return true;
  });
});
