import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, truncateSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { buildParts, constructDataset, datasetLayout, readFinishedParts } from '../../src/dataset/construct.js';
import { mergeParts } from '../../src/dataset/merge.js';
import { InputError } from '../../src/errors.js';
import { loadDataset } from '../../src/dataset/load.js';
import { groupFiles, partDirName } from '../../src/dataset/parts.js';
import { nanoxConfig, nanoxFile } from '../processing/nanox-config.js';
import { repoRoot, sharedData } from '../helpers/paths.js';

async function temporaryDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'bhive-parts-'));
}

/** Asserts that two dataset directories hold the same files with the same bytes. */
function assertSameFiles(a: string, b: string): void {
  const names = readdirSync(a).sort();
  assert.deepEqual(readdirSync(b).sort(), names);
  for (const name of names) assert.ok(readFileSync(path.join(a, name)).equals(readFileSync(path.join(b, name))), `${name} differs`);
}

const trainFiles = ['train_1.root', 'train_2.root', 'train_3.root'].map((f) => nanoxFile(f));

test('file groups split in order', () => {
  assert.deepEqual(groupFiles(['a', 'b', 'c', 'd', 'e'], 2), [['a', 'b'], ['c', 'd'], ['e']]);
  assert.deepEqual(groupFiles(['a', 'b'], 5), [['a', 'b']]);
  assert.throws(() => groupFiles(['a'], 0), /positive integer/);
  assert.equal(partDirName(12), 'part-00012');
});

test('one part or three give identical bytes', async () => {
  const single = await temporaryDir();
  const split = await temporaryDir();
  const partsDir = path.join(await temporaryDir(), 'parts');
  await constructDataset({ config: nanoxConfig(), files: trainFiles, outputDir: single, seed: 5, chunkSize: 700 });
  await constructDataset({ config: nanoxConfig(), files: trainFiles, outputDir: split, seed: 5, chunkSize: 700, partsDir, filesPerPart: 1 });
  assertSameFiles(single, split);
  assert.ok(readdirSync(single).filter((name) => name.endsWith('.npz')).length > 1);
  assert.deepEqual(readdirSync(partsDir).sort(), ['part-00000', 'part-00001', 'part-00002']);
  assert.equal(existsSync(path.join(single, '.spill')), false);
});

test('processes survive grouping', async () => {
  const config = await loadConfig(path.join(repoRoot(), 'configs', 'nanoaod_jets.yml'));
  config.cuts = {};
  config.processes = [
    { name: 'tth', patterns: ['ttH_*.root'], weight: 1 },
    { name: 'dy', patterns: ['DY*.root'], weight: 0.5 },
  ];
  const files = [sharedData('nanoaod', 'ttH_M125_2017.root'), sharedData('nanoaod', 'DYJetsToLL--UL17_v6-v2_109_Skim.root')];
  const single = await temporaryDir();
  const split = await temporaryDir();
  await constructDataset({ config, files, outputDir: single, seed: 3 });
  await constructDataset({ config, files, outputDir: split, seed: 3, partsDir: path.join(split, '.parts'), filesPerPart: 1 });
  const { arrays, manifest } = await loadDataset(split);
  assert.deepEqual(manifest.processNames, ['tth', 'dy']);
  assert.equal(manifest.processes?.dy.numJets, 602);
  let dyJets = 0;
  for (let j = 0; j < arrays.numJets; j++) if (arrays.process?.[j] === 1) dyJets += 1;
  assert.equal(dyJets, 602);
  for (const name of readdirSync(single)) {
    assert.ok(readFileSync(path.join(single, name)).equals(readFileSync(path.join(split, name))), `${name} differs`);
  }
});

test('finished parts are reused', async () => {
  const partsDir = await temporaryDir();
  const config = nanoxConfig();
  assert.deepEqual(await buildParts({ config, files: trainFiles, partsDir, filesPerPart: 2, parts: [1] }), [1]);
  assert.throws(() => readFinishedParts(partsDir, trainFiles, 2), /part-00000 in .* missing or unfinished/);
  const seen: string[] = [];
  const built = await buildParts({ config, files: trainFiles, partsDir, filesPerPart: 2, onFileDone: (event) => seen.push(path.basename(event.file)) });
  assert.deepEqual(built, [0]);
  assert.deepEqual(seen, ['train_1.root', 'train_2.root']);
  assert.deepEqual(await buildParts({ config, files: trainFiles, partsDir, filesPerPart: 2 }), []);
  // Another grouping does not match the stored parts, so they are rebuilt.
  assert.throws(() => readFinishedParts(partsDir, trainFiles, 1), /missing or unfinished/);
  const { summaries } = readFinishedParts(partsDir, trainFiles, 2);
  assert.deepEqual(summaries.map((s) => s.files.length), [2, 1]);
  assert.deepEqual(summaries[1].records.map((r) => r.path), [trainFiles[2]]);
});

test('skipped file recorded in its part', async () => {
  const config = await loadConfig(path.join(repoRoot(), 'configs', 'nanoaod_jets.yml'));
  // The damaged file matches none of the config's process patterns.
  config.processes = undefined;
  const files = [sharedData('nanoaod', 'ttH_M125_2017.root'), sharedData('reader', 'coffea_bad_delphes.root')];
  const single = await temporaryDir();
  const split = await temporaryDir();
  const one = await constructDataset({ config, files, outputDir: single, seed: 1, onBadFile: 'skip' });
  const two = await constructDataset({ config, files, outputDir: split, seed: 1, onBadFile: 'skip', partsDir: path.join(split, '.parts'), filesPerPart: 1 });
  assert.deepEqual(two.skippedFiles?.map((f) => f.path), [files[1]]);
  assert.deepEqual(one, two);
});

test('truncated part file rejected', async () => {
  const partsDir = await temporaryDir();
  const config = nanoxConfig();
  await buildParts({ config, files: trainFiles, partsDir, filesPerPart: 2 });
  const { dirs, summaries } = readFinishedParts(partsDir, trainFiles, 2);
  const file = path.join(dirs[1], 'cpf.f32');
  truncateSync(file, 40);
  const merge = mergeParts({
    config,
    layout: datasetLayout(config),
    partDirs: dirs,
    summaries,
    outputDir: await temporaryDir(),
    seed: 1,
    chunkSize: 100,
    requireLabels: true,
    compress: false,
    onBadFile: 'fail',
  });
  await assert.rejects(merge, (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.context.file, file);
    assert.match(error.message, /has 40 bytes but its part\.json requires \d+; delete the part directory to rebuild it/);
    return true;
  });
});

test('stale parts from another grouping are replaced', async () => {
  const reference = await temporaryDir();
  await constructDataset({ config: nanoxConfig(), files: trainFiles, outputDir: reference, seed: 5, chunkSize: 700 });

  // A killed run left parts of one file each; the rerun groups two files per part.
  const partsDir = path.join(await temporaryDir(), 'parts');
  await buildParts({ config: nanoxConfig(), files: trainFiles, partsDir, filesPerPart: 1 });
  const regrouped = await temporaryDir();
  await constructDataset({ config: nanoxConfig(), files: trainFiles, outputDir: regrouped, seed: 5, chunkSize: 700, partsDir, filesPerPart: 2 });
  assertSameFiles(reference, regrouped);
});

test('damaged part.json is rebuilt', async () => {
  const reference = await temporaryDir();
  await constructDataset({ config: nanoxConfig(), files: trainFiles, outputDir: reference, seed: 5, chunkSize: 700 });

  const partsDir = path.join(await temporaryDir(), 'parts');
  await buildParts({ config: nanoxConfig(), files: trainFiles, partsDir, filesPerPart: 1 });
  truncateSync(path.join(partsDir, partDirName(1), 'part.json'), 20);
  const rebuilt = await buildParts({ config: nanoxConfig(), files: trainFiles, partsDir, filesPerPart: 1 });
  assert.deepEqual(rebuilt, [1]);
  const again = await temporaryDir();
  await constructDataset({ config: nanoxConfig(), files: trainFiles, outputDir: again, seed: 5, chunkSize: 700, partsDir, filesPerPart: 1 });
  assertSameFiles(reference, again);
});
