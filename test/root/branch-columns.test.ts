import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { InputError, UnsupportedError } from '../../src/errors.js';
import { openTree, readBranches } from '../../src/root/index.js';
import { sharedData } from '../helpers/paths.js';
import { readWithJsroot } from './jsroot-loop.js';

const TRAIN_1 = sharedData('jets-nanox', 'train_1.root');

// Entry counts of the highest cycle of `jets`; some files also contain an older cycle with fewer entries.
const README_ENTRIES: Array<[string, number]> = [
  ['train_1.root', 405], ['train_2.root', 403], ['train_3.root', 403], ['train_4.root', 400], ['train_5.root', 399],
  ['test_1.root', 401], ['test_2.root', 398], ['test_3.root', 397], ['test_4.root', 396], ['da_train1_1.root', 334],
];

test('openTree entry counts per file', async () => {
  for (const [name, entries] of README_ENTRIES) {
    const info = await openTree(sharedData('jets-nanox', name), 'jets');
    assert.equal(info.numEntries, entries, name);
  }
});

test('openTree lists the branches', async () => {
  const info = await openTree(TRAIN_1, 'jets');
  assert.equal(info.branches.length, 72);
  assert.ok(info.branches.includes('cpf_trackSip2dVal'));
  assert.ok(info.branches.includes('jetorigin_isB'));
});

test('readBranches scalar types and lengths', async () => {
  const columns = await readBranches(TRAIN_1, 'jets', ['global_pt', 'ncpf', 'jetorigin_isB']);
  assert.equal(columns.numEntries, 405);
  assert.ok(columns.flat.get('global_pt') instanceof Float32Array);
  assert.ok(columns.flat.get('ncpf') instanceof Int32Array);
  assert.equal(columns.flat.get('global_pt')?.length, 405);
  assert.equal(columns.jagged.size, 0);
});

test('readBranches values match a direct jsroot loop', async () => {
  const branches = ['global_pt', 'nsv', 'jetorigin_isC'];
  const columns = await readBranches(TRAIN_1, 'jets', [...branches, 'cpf_trackSip2dVal']);
  const direct = await readWithJsroot(TRAIN_1, 'jets', [...branches, 'cpf_trackSip2dVal']);
  assert.equal(direct.length, 405);
  for (const name of branches) {
    const column = columns.flat.get(name);
    assert.ok(column, name);
    assert.deepEqual([...column], direct.map((row) => Number(row[name])), name);
  }
  const jagged = columns.jagged.get('cpf_trackSip2dVal');
  assert.ok(jagged);
  const expected = direct.flatMap((row) => Array.from(row.cpf_trackSip2dVal as ArrayLike<number>));
  assert.deepEqual([...jagged.values], expected);
  assert.equal(jagged.offsets[405], expected.length);
});

test('readBranches counter from jagged lengths', async () => {
  const alone = await readBranches(TRAIN_1, 'jets', ['ncpf']);
  // A counter read together with the branches it counts must give the values it gives alone.
  const together = await readBranches(TRAIN_1, 'jets', ['cpf_ptrel', 'cpf_trackEtaRel', 'ncpf']);
  assert.deepEqual(together.flat.get('ncpf'), alone.flat.get('ncpf'));
  const ptrel = together.jagged.get('cpf_ptrel');
  const etaRel = together.jagged.get('cpf_trackEtaRel');
  assert.ok(ptrel);
  assert.ok(etaRel);
  assert.equal(ptrel.offsets, etaRel.offsets, 'branches with one counter share their offsets');
  const counts = alone.flat.get('ncpf') as Int32Array;
  for (let i = 0; i < 405; i++) assert.equal(ptrel.offsets[i + 1] - ptrel.offsets[i], counts[i]);
});

test('readBranches reports progress', async () => {
  const calls: Array<[number, number]> = [];
  await readBranches(TRAIN_1, 'jets', ['global_eta'], { onProgress: (done, total) => calls.push([done, total]) });
  assert.deepEqual(calls.at(-1), [405, 405]);
});

test('missing file names the file', async () => {
  const missing = sharedData('jets-nanox', 'no_such_file.root');
  await assert.rejects(openTree(missing, 'jets'), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.context.file, missing);
    assert.match(error.message, /not found: .*no_such_file\.root/);
    return true;
  });
});

test('file that is not ROOT names the file', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bhive-root-'));
  const file = path.join(dir, 'text.root');
  await writeFile(file, 'this is a text file, not a ROOT file. '.repeat(20));
  await assert.rejects(readBranches(file, 'jets', ['global_pt']), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.context.file, file);
    assert.match(error.message, /cannot open ROOT file/);
    return true;
  });
});

test('missing tree lists the trees present', async () => {
  await assert.rejects(openTree(TRAIN_1, 'Events'), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.context.tree, 'Events');
    assert.match(error.message, /tree 'Events' not found/);
    assert.match(error.message, /'jets'/);
    return true;
  });
});

test('key that is not a tree', async () => {
  await assert.rejects(openTree(TRAIN_1, 'StreamerInfo'), /is a TList, not a TTree/);
});

test('missing branch names file, tree and branch', async () => {
  await assert.rejects(readBranches(TRAIN_1, 'jets', ['global_pt', 'cpf_trackSip2dVall']), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.context.branch, 'cpf_trackSip2dVall');
    assert.equal(error.context.tree, 'jets');
    assert.equal(error.context.file, TRAIN_1);
    assert.match(error.message, /Did you mean 'cpf_trackSip2dVal'/);
    return true;
  });
});

test('jagged sums match uproot values', async () => {
  // Known values read with uproot 5: 501 entries, 2,165 jets, sum of Jet_pt 68349.8125.
  const file = sharedData('reader', 'uproot-small-dy-withoffsets.root');
  const columns = await readBranches(file, 'tree', ['Jet_pt', 'nJet']);
  const jetPt = columns.jagged.get('Jet_pt');
  assert.ok(jetPt);
  assert.equal(columns.numEntries, 501);
  assert.equal(jetPt.values.length, 2165);
  assert.equal(jetPt.values.reduce((sum, v) => sum + v, 0), 68349.8125);
  assert.equal((columns.flat.get('nJet') as Int32Array).reduce((sum, v) => sum + v, 0), 2165);
});

test('jagged baskets without offset tables', async () => {
  // The offsets are rebuilt from the counter branch nJet; uproot 5 gives 2,165 jets with a Jet_pt sum of 68349.8125.
  const file = sharedData('reader', 'uproot-small-dy-nooffsets.root');
  const columns = await readBranches(file, 'tree', ['Jet_pt']);
  const jetPt = columns.jagged.get('Jet_pt');
  assert.ok(jetPt);
  assert.equal(jetPt.offsets[501], 2165);
  assert.equal(jetPt.values.reduce((sum, v) => sum + v, 0), 68349.8125);
});

test('fixed-size array is unsupported', async () => {
  const file = sharedData('reader', 'uproot-sample-6.20.04-zlib.root');
  await assert.rejects(readBranches(file, 'sample', ['ab']), (error: unknown) => {
    assert.ok(error instanceof UnsupportedError);
    assert.equal(error.context.branch, 'ab');
    assert.match(error.message, /fixed-size array of 3 values/);
    return true;
  });
});

test('every NANOX branch matches jsroot', async () => {
  // Values from bhive's basket reader must equal those of jsroot's own entry loop, branch by branch.
  for (const name of ['train_1.root', 'test_4.root', 'da_train1_1.root']) {
    const file = sharedData('jets-nanox', name);
    const info = await openTree(file, 'jets');
    const columns = await readBranches(file, 'jets', info.branches);
    assert.equal(columns.flat.size + columns.jagged.size, info.branches.length, name);
    const rows = await readWithJsroot(file, 'jets', info.branches);
    assert.equal(rows.length, info.numEntries, name);
    for (const [branch, column] of columns.flat) {
      assert.deepEqual([...column], rows.map((row) => Number(row[branch])), `${name} ${branch}`);
    }
    for (const [branch, column] of columns.jagged) {
      const expected = rows.flatMap((row) => Array.from(row[branch] as ArrayLike<number>));
      assert.deepEqual([...column.values], expected, `${name} ${branch}`);
      assert.deepEqual([...column.offsets.subarray(1)].map((end, i) => end - column.offsets[i]),
        rows.map((row) => (row[branch] as ArrayLike<number>).length), `${name} ${branch} lengths`);
    }
  }
});
