import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RootFile, type Column } from '../../src/root/index.js';
import { sharedData } from '../helpers/paths.js';

function concatenate(chunks: Column[]): { offsets: number[]; values: number[] } {
  const offsets = [0];
  const values: number[] = [];
  for (const column of chunks) {
    assert.ok(column.kind === 'jagged');
    const base = offsets[offsets.length - 1];
    for (let i = 1; i < column.offsets.length; i++) offsets.push(base + column.offsets[i]);
    values.push(...Array.from(column.values, Number));
  }
  return { offsets, values };
}

test('iterate chunks equal one read', async () => {
  const rootFile = await RootFile.open(sharedData('reader', 'uproot-small-dy-withoffsets.root'));
  const tree = await rootFile.tree('tree');
  const whole = (await tree.arrays(['Jet_pt'])).columns.get('Jet_pt');
  assert.ok(whole?.kind === 'jagged');
  for (const stepSize of [1, 7, 200, 1000]) {
    const chunks: Column[] = [];
    let expectedStart = 0;
    for await (const chunk of tree.iterate(['Jet_pt', 'nJet'], { stepSize })) {
      assert.equal(chunk.entryStart, expectedStart);
      assert.ok(chunk.entryStop - chunk.entryStart <= stepSize);
      expectedStart = chunk.entryStop;
      chunks.push(chunk.columns.get('Jet_pt') as Column);
    }
    assert.equal(expectedStart, 501, `stepSize ${stepSize}`);
    const joined = concatenate(chunks);
    assert.deepEqual(joined.offsets, [...whole.offsets], `stepSize ${stepSize}`);
    assert.deepEqual(joined.values, [...whole.values], `stepSize ${stepSize}`);
  }
  await rootFile.close();
});

test('iterate reads each basket once', async () => {
  const rootFile = await RootFile.open(sharedData('reader', 'uproot-foriter.root'));
  const tree = await rootFile.tree('foriter');
  const numBaskets = tree.meta.branches.get('data')?.baskets.length ?? 0;
  let total = 0;
  for await (const chunk of tree.iterate(['data'], { stepSize: 5 })) {
    const column = chunk.columns.get('data');
    assert.ok(column?.kind === 'flat');
    for (const value of column.values) total += Number(value);
  }
  assert.equal(total, 1035);
  // Chunks of 5 entries straddle the 6-entry baskets, which the iteration keeps instead of reading again.
  assert.equal(tree.counters.basketsRead, numBaskets);
  await rootFile.close();
});

test('iterate over an entry range', async () => {
  const rootFile = await RootFile.open(sharedData('reader', 'uproot-issue412.root'));
  const tree = await rootFile.tree('test');
  const ranges: Array<[number, number]> = [];
  for await (const chunk of tree.iterate(['b2'], { entryStart: 995000, entryStop: 2000000, stepSize: 2000 })) {
    ranges.push([chunk.entryStart, chunk.entryStop]);
  }
  assert.deepEqual(ranges[0], [995000, 997000]);
  assert.deepEqual(ranges.at(-1), [999000, 1000000]);
  assert.equal(ranges.length, 3);
  await rootFile.close();
});

test('iterate over an empty tree yields nothing', async () => {
  const rootFile = await RootFile.open(sharedData('reader', 'uproot-empty.root'));
  const tree = await rootFile.tree('tree');
  let numChunks = 0;
  for await (const chunk of tree.iterate(['x'])) numChunks += chunk ? 1 : 0;
  assert.equal(numChunks, 0);
  await rootFile.close();
});
