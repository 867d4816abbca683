import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { RootFile } from '../../src/root/index.js';
import { chunkRanges, readInParallel, type ChunkTask } from '../../src/root/parallel.js';
import { sharedData } from '../helpers/paths.js';

test('chunkRanges covers every entry', () => {
  assert.deepEqual(chunkRanges(10, 4), [[0, 4], [4, 8], [8, 10]]);
  assert.deepEqual(chunkRanges(0, 4), []);
  assert.throws(() => chunkRanges(10, 0), RangeError);
});

test('parallel chunks equal a serial read', async () => {
  const files = ['train_1.root', 'train_2.root', 'test_1.root'].map((name) => sharedData('jets-nanox', name));
  const branches = ['global_pt', 'cpf_ptrel'];
  const tasks: ChunkTask[] = [];
  for (const file of files) {
    const rootFile = await RootFile.open(file);
    const numEntries = (await rootFile.tree('jets')).numEntries;
    await rootFile.close();
    for (const [entryStart, entryStop] of chunkRanges(numEntries, 150)) tasks.push({ file, tree: 'jets', branches, entryStart, entryStop });
  }
  let index = 0;
  for await (const result of readInParallel(tasks, { numWorkers: 2 })) {
    assert.equal(result.task, tasks[index], 'results arrive in task order');
    const rootFile = await RootFile.open(result.task.file);
    const serial = await (await rootFile.tree('jets')).arrays(branches, result.task);
    await rootFile.close();
    for (const branch of branches) assert.deepEqual(result.columns.get(branch), serial.columns.get(branch), `${index} ${branch}`);
    index++;
  }
  assert.equal(index, tasks.length);
});

test('parallel error names the chunk', async () => {
  const file = sharedData('jets-nanox', 'train_1.root');
  const tasks: ChunkTask[] = [
    { file, tree: 'jets', branches: ['global_pt'], entryStart: 0, entryStop: 100 },
    { file, tree: 'jets', branches: ['no_such_branch'], entryStart: 100, entryStop: 200 },
  ];
  const seen: number[] = [];
  await assert.rejects(
    (async () => {
      for await (const result of readInParallel(tasks)) seen.push(result.task.entryStart);
    })(),
    (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.context.branch, 'no_such_branch');
      return true;
    },
  );
  assert.deepEqual(seen, [0]);
});
