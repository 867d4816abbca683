import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { constructDataset, loadDataset } from '../../src/dataset/index.js';
import type { JetArrays } from '../../src/dataset/index.js';
import { nanoxConfig, nanoxFile } from '../processing/nanox-config.js';
import { repoRoot, sharedData } from '../helpers/paths.js';

async function temporaryDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'bhive-invariance-'));
}

function assertSameJets(a: JetArrays, b: JetArrays): void {
  assert.equal(a.numJets, b.numJets);
  assert.deepEqual(a.label, b.label);
  assert.deepEqual(a.weight, b.weight);
  assert.deepEqual(a.pt, b.pt);
  assert.deepEqual(a.eta, b.eta);
  assert.deepEqual(a.global, b.global);
  assert.deepEqual(a.spectators, b.spectators);
  assert.deepEqual(Object.keys(a.groups), Object.keys(b.groups));
  for (const name of Object.keys(a.groups)) assert.deepEqual(a.groups[name], b.groups[name], `group ${name}`);
}

test('nanoaod output ignores workers and chunk sizes', async () => {
  const config = await loadConfig(path.join(repoRoot(), 'configs', 'nanoaod_jets.yml'));
  const files = ['ttH_M125_2017.root', 'DYJetsToLL--UL17_v6-v2_109_Skim.root', 'ggH_M125_amcatnlo_v13.root'].map((f) => sharedData('nanoaod', f));
  const first = await temporaryDir();
  const second = await temporaryDir();
  const one = await constructDataset({ config, files, outputDir: first, seed: 11, numWorkers: 1 });
  const finished = new Set<number>();
  const two = await constructDataset({
    config,
    files,
    outputDir: second,
    seed: 11,
    numWorkers: 2,
    chunkSize: 97,
    stepSize: 13,
    onProgress: (event) => {
      if (event.entriesDone === event.entriesTotal) finished.add(event.fileIndex);
    },
  });
  assert.deepEqual([...finished].sort(), [0, 1, 2]);
  assert.equal(one.chunks.length, 1);
  assert.equal(two.chunks.length, Math.ceil(two.numJets / 97));
  assert.deepEqual(one.classCounts, two.classCounts);
  assert.deepEqual(one.dropped, two.dropped);
  assertSameJets((await loadDataset(first)).arrays, (await loadDataset(second)).arrays);
});

test('per_jet output ignores workers and chunk size', async () => {
  const files = [nanoxFile('train_1.root'), nanoxFile('train_2.root'), nanoxFile('train_3.root')];
  const first = await temporaryDir();
  const second = await temporaryDir();
  await constructDataset({ config: nanoxConfig(), files, outputDir: first, seed: 2, numWorkers: 1, chunkSize: 1000 });
  await constructDataset({ config: nanoxConfig(), files, outputDir: second, seed: 2, numWorkers: 2, chunkSize: 128 });
  assertSameJets((await loadDataset(first)).arrays, (await loadDataset(second)).arrays);
});

test('worker errors keep their class', async () => {
  const config = await loadConfig(path.join(repoRoot(), 'configs', 'nanoaod_jets.yml'));
  const files = [sharedData('nanoaod', 'ttH_M125_2017.root'), sharedData('reader', 'coffea_bad_delphes.root')];
  const manifest = await constructDataset({ config, files, outputDir: await temporaryDir(), seed: 1, numWorkers: 2, onBadFile: 'skip' });
  assert.deepEqual(manifest.skippedFiles?.map((f) => f.path), [files[1]]);
});
