import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { constructDataset, loadDataset } from '../../src/dataset/index.js';
import { splitJets } from '../../src/dataset/jet-arrays.js';
import { decodeNpz } from '../../src/dataset/npz.js';
import { readWithJsroot } from '../root/jsroot-loop.js';
import { NANOX_CLASSES, NANOX_DROP, nanoxConfig, nanoxFile } from '../processing/nanox-config.js';

const FILES = ['train_1.root', 'train_2.root', 'train_3.root'].map((name) => nanoxFile(name));

const PROCESSES = [
  { name: 'early', patterns: ['train_[12].root'], weight: 1 },
  { name: 'late', patterns: ['train_3.root'], weight: 0.5 },
];

async function temporaryDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'bhive-processes-'));
}

/** Jets of one file that are in a class and in no drop category, from a plain jsroot loop. */
async function countJetsWithJsroot(file: string): Promise<number> {
  const flags = [...NANOX_CLASSES, ...NANOX_DROP].flatMap(([, f]) => f);
  let count = 0;
  for (const row of await readWithJsroot(file, 'jets', flags)) {
    if (NANOX_DROP.some(([, f]) => f.some((name) => row[name] !== 0))) continue;
    if (NANOX_CLASSES.some(([, f]) => f.some((name) => row[name] !== 0))) count++;
  }
  return count;
}

function countValues(values: Int32Array, numValues: number): number[] {
  const counts = new Array<number>(numValues).fill(0);
  for (const value of values) counts[value]++;
  return counts;
}

test('process index counts match files', async () => {
  const dir = await temporaryDir();
  const manifest = await constructDataset({ config: nanoxConfig({ processes: PROCESSES }), files: FILES, outputDir: dir, seed: 3, chunkSize: 300 });
  const perFile = await Promise.all(FILES.map((file) => countJetsWithJsroot(file)));
  const expected = [perFile[0] + perFile[1], perFile[2]];

  assert.deepEqual(manifest.processNames, ['early', 'late']);
  assert.equal(manifest.processes?.early.numJets, expected[0]);
  assert.equal(manifest.processes?.late.numJets, expected[1]);

  const { arrays } = await loadDataset(dir);
  assert.ok(arrays.process, 'the loaded dataset has no process index');
  assert.deepEqual(countValues(arrays.process, 2), expected);

  // Every chunk stores the index as int32 [jets].
  for (const chunk of manifest.chunks) {
    const member = decodeNpz(await readFile(path.join(dir, chunk.file)), chunk.file).get('process');
    assert.ok(member, `${chunk.file} has no process member`);
    assert.equal(member.dtype, '<i4');
    assert.deepEqual(member.shape, [chunk.numJets]);
  }
});

test('process index follows its jets', async () => {
  const withProcesses = await temporaryDir();
  await constructDataset({ config: nanoxConfig({ processes: PROCESSES }), files: FILES, outputDir: withProcesses, seed: 5, chunkSize: 250 });
  const { arrays } = await loadDataset(withProcesses);
  assert.ok(arrays.process);

  // The jets indexed 'late' are exactly the jets of train_3.root: same pT values, same weights up to the process weight.
  const alone = await temporaryDir();
  await constructDataset({ config: nanoxConfig(), files: [FILES[2]], outputDir: alone, seed: 1 });
  const single = (await loadDataset(alone)).arrays;
  const latePt = Array.from(arrays.pt).filter((_, j) => arrays.process![j] === 1).sort((a, b) => a - b);
  assert.deepEqual(latePt, Array.from(single.pt).sort((a, b) => a - b));
  for (let j = 0; j < arrays.numJets; j++) {
    assert.ok(arrays.weight[j] <= (arrays.process[j] === 1 ? 0.5 : 1), `jet ${j} has weight ${arrays.weight[j]} above its process weight`);
  }

  // Splitting into training and validation keeps the index with its jet.
  const { train, validation } = splitJets(arrays, 0.25, 9);
  assert.ok(train.process, 'the training split has no process index');
  assert.ok(validation.process, 'the validation split has no process index');
  const total = countValues(arrays.process, 2);
  const split = [countValues(train.process, 2), countValues(validation.process, 2)];
  assert.deepEqual([split[0][0] + split[1][0], split[0][1] + split[1][1]], total);
  const byPt = new Map<number, number>();
  for (let j = 0; j < arrays.numJets; j++) byPt.set(arrays.pt[j] * 1e3 + arrays.eta[j], arrays.process[j]);
  for (let j = 0; j < validation.numJets; j++) assert.equal(validation.process[j], byPt.get(validation.pt[j] * 1e3 + validation.eta[j]));
});

test('dataset without processes has no index', async () => {
  const dir = await temporaryDir();
  const manifest = await constructDataset({ config: nanoxConfig(), files: [FILES[0]], outputDir: dir, seed: 1 });
  assert.equal(manifest.processNames, undefined);
  const members = decodeNpz(await readFile(path.join(dir, manifest.chunks[0].file)), manifest.chunks[0].file);
  assert.equal(members.has('process'), false);
  const { arrays } = await loadDataset(dir);
  assert.equal(arrays.process, undefined);
});

test('candidate group named process rejected', async () => {
  const config = nanoxConfig();
  const renamed = { ...config, candidates: config.candidates.map((g, i) => (i === 0 ? { ...g, name: 'process' } : g)) };
  await assert.rejects(
    constructDataset({ config: renamed, files: [FILES[0]], outputDir: await temporaryDir(), seed: 1 }),
    /candidate group name 'process' is reserved/,
  );
});
