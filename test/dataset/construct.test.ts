import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, InputError } from '../../src/errors.js';
import { binIndex, constructDataset, createHistogram, loadDataset } from '../../src/dataset/index.js';
import { readWithJsroot } from '../root/jsroot-loop.js';
import { NANOX_CLASSES, NANOX_DROP, nanoxConfig, nanoxFile } from '../processing/nanox-config.js';
import { runPython } from './numpy-python.js';

const TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => nanoxFile(`train_${i}.root`));

async function temporaryDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'bhive-dataset-'));
}

/** Class counts of all training files from a plain jsroot loop, independent of bhive's readers. */
async function countClassesWithJsroot(files: string[]): Promise<Record<string, number>> {
  const flags = [...NANOX_CLASSES, ...NANOX_DROP].flatMap(([, f]) => f);
  const counts: Record<string, number> = {};
  for (const file of files) {
    for (const row of await readWithJsroot(file, 'jets', flags)) {
      if (NANOX_DROP.some(([, f]) => f.some((name) => row[name] !== 0))) continue;
      const match = NANOX_CLASSES.find(([, f]) => f.some((name) => row[name] !== 0));
      if (match) counts[match[0]] = (counts[match[0]] ?? 0) + 1;
    }
  }
  return counts;
}

test('all training files', async () => {
  const dir = await temporaryDir();
  const events: number[] = [];
  const manifest = await constructDataset({
    config: nanoxConfig(),
    files: TRAIN_FILES,
    outputDir: dir,
    seed: 1,
    chunkSize: 500,
    onProgress: (event) => events.push(event.fileIndex),
  });
  const expected = await countClassesWithJsroot(TRAIN_FILES);
  assert.deepEqual(manifest.classCounts, { b: 0, bb: 0, lepb: 0, c: 0, uds: 0, g: 0, ...expected });
  assert.equal(manifest.numJets, 1870);
  assert.deepEqual(manifest.dropped, { llp: 140 });
  assert.deepEqual(manifest.inputs.map((i) => i.numEntries), [405, 403, 403, 400, 399]);
  assert.deepEqual(manifest.chunks.map((c) => c.numJets), [500, 500, 500, 370]);
  assert.deepEqual(manifest.chunks.map((c) => c.file), ['chunk_00000.npz', 'chunk_00001.npz', 'chunk_00002.npz', 'chunk_00003.npz']);
  assert.deepEqual([...new Set(events)], [0, 1, 2, 3, 4]);

  const { arrays } = await loadDataset(dir);
  assert.equal(arrays.numJets, 1870);
  const binning = createHistogram(manifest.histograms.b.ptEdges, manifest.histograms.b.etaEdges);
  const binWeights = manifest.binWeights;
  assert.ok(binWeights);
  for (let j = 0; j < arrays.numJets; j++) {
    const className = manifest.classes[arrays.label[j]];
    const bin = binIndex(binning, arrays.pt[j], arrays.eta[j]);
    assert.equal(arrays.weight[j], Math.fround(binWeights[className][bin]));
    if (className === 'b') assert.equal(arrays.weight[j], 1);
  }
  const histogramTotal = Object.values(manifest.histograms).reduce((sum, h) => sum + h.counts.reduce((a, b) => a + b, 0), 0);
  assert.equal(histogramTotal, 1870);
});

test('same seed gives identical chunks', async () => {
  const files = TRAIN_FILES.slice(0, 2);
  const dirs = [await temporaryDir(), await temporaryDir(), await temporaryDir()];
  const seeds = [5, 5, 6];
  for (let i = 0; i < 3; i++) {
    await constructDataset({ config: nanoxConfig(), files, outputDir: dirs[i], seed: seeds[i], chunkSize: 300 });
  }
  for (const name of ['chunk_00000.npz', 'chunk_00001.npz', 'chunk_00002.npz']) {
    const first = await readFile(path.join(dirs[0], name));
    assert.ok(first.equals(await readFile(path.join(dirs[1], name))), `${name} with the same seed`);
    assert.ok(!first.equals(await readFile(path.join(dirs[2], name))), `${name} with another seed`);
  }
});

test('numpy loads a dataset chunk', async () => {
  const dir = await temporaryDir();
  await constructDataset({ config: nanoxConfig(), files: [TRAIN_FILES[0]], outputDir: dir, seed: 2 });
  const script = `
import json, sys
import numpy as np
with np.load(sys.argv[1]) as f:
    print(json.dumps({k: [f[k].dtype.str, list(f[k].shape)] for k in f.files}))
`;
  const shapes = JSON.parse(runPython(script, [path.join(dir, 'chunk_00000.npz')])) as Record<string, [string, number[]]>;
  assert.deepEqual(shapes, {
    global: ['<f4', [377, 15]],
    cpf: ['<f4', [377, 25, 16]],
    npf: ['<f4', [377, 25, 6]],
    sv: ['<f4', [377, 4, 12]],
    label: ['<i4', [377]],
    weight: ['<f4', [377]],
    pt: ['<f4', [377]],
    eta: ['<f4', [377]],
  });
});

test('collision data without labels', async () => {
  const dir = await temporaryDir();
  const manifest = await constructDataset({
    config: nanoxConfig(),
    files: [nanoxFile('da_train1_1.root')],
    outputDir: dir,
    seed: 1,
    requireLabels: false,
  });
  assert.equal(manifest.numJets, 334);
  assert.deepEqual(manifest.classCounts, {});
  const { arrays } = await loadDataset(dir);
  assert.ok(arrays.label.every((label) => label === -1));
  assert.ok(arrays.weight.every((weight) => weight === 1));
});

test('missing input file leaves no manifest', async () => {
  const dir = await temporaryDir();
  const missing = nanoxFile('train_9.root');
  await assert.rejects(
    constructDataset({ config: nanoxConfig(), files: [TRAIN_FILES[0], missing], outputDir: dir, seed: 1 }),
    (error: unknown) => error instanceof InputError && error.context.file === missing,
  );
  assert.equal(existsSync(path.join(dir, 'manifest.json')), false);
});

test('reserved group name is a ConfigError', async () => {
  const config = nanoxConfig();
  config.candidates[2] = { ...config.candidates[2], name: 'label' };
  await assert.rejects(
    constructDataset({ config, files: [TRAIN_FILES[0]], outputDir: await temporaryDir(), seed: 1 }),
    (error: unknown) => error instanceof ConfigError && error.context.configKey === 'candidates[2].name',
  );
});

test('loadDataset checks the manifest and shapes', async () => {
  const empty = await temporaryDir();
  await assert.rejects(loadDataset(empty), /has no readable manifest\.json/);

  const dir = await temporaryDir();
  await constructDataset({ config: nanoxConfig(), files: [TRAIN_FILES[0]], outputDir: dir, seed: 1 });
  const manifestPath = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { groups: Array<{ maxCandidates: number }> };
  manifest.groups[0].maxCandidates = 20;
  await writeFile(manifestPath, JSON.stringify(manifest));
  await assert.rejects(loadDataset(dir), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.context.file, path.join(dir, 'chunk_00000.npz'));
    assert.match(error.message, /member 'cpf' .* is <f4 \[377, 25, 16\]; the manifest requires <f4 \[377, 20, 16\]/);
    return true;
  });
});
