import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import type { BhiveConfig } from '../../src/config/types.js';
import { ConfigError, InputError } from '../../src/errors.js';
import { binIndex, constructDataset, loadDataset } from '../../src/dataset/index.js';
import { repoRoot, sharedData } from '../helpers/paths.js';

async function temporaryDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'bhive-formats-'));
}

async function nanoaodConfig(): Promise<BhiveConfig> {
  return loadConfig(path.join(repoRoot(), 'configs', 'nanoaod_jets.yml'));
}

test('nanoaod dataset keeps spectators', async () => {
  const dir = await temporaryDir();
  const config = await nanoaodConfig();
  const manifest = await constructDataset({ config, files: [sharedData('nanoaod', 'ttH_M125_2017.root')], outputDir: dir, seed: 3, chunkSize: 400 });
  assert.equal(manifest.processor, 'nanoaod');
  assert.deepEqual(manifest.spectators, ['Jet_btagDeepFlavB']);
  assert.equal(manifest.chunks.length, Math.ceil(manifest.numJets / 400));

  const { arrays } = await loadDataset(dir);
  assert.equal(arrays.spectators?.length, arrays.numJets);
  // The spectator is CMS's DeepJet b score, so it is higher for b jets than for light jets on average.
  const mean = (label: number): number => {
    let sum = 0;
    let n = 0;
    for (let j = 0; j < arrays.numJets; j++) {
      if (arrays.label[j] === label) {
        sum += arrays.spectators?.[j] ?? 0;
        n += 1;
      }
    }
    return sum / n;
  };
  assert.ok(mean(0) > 0.5, `mean score of b jets ${mean(0)}`);
  assert.ok(mean(2) < 0.2, `mean score of light jets ${mean(2)}`);
  const raw = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as { skippedFiles?: unknown };
  assert.equal(raw.skippedFiles, undefined);
});

test('unreadable file skipped and recorded', async () => {
  const dir = await temporaryDir();
  const config = await nanoaodConfig();
  const bad = sharedData('reader', 'coffea_bad_delphes.root');
  const files = [sharedData('nanoaod', 'ttH_M125_2017.root'), bad];
  await assert.rejects(constructDataset({ config, files, outputDir: dir, seed: 1 }), InputError);

  const manifest = await constructDataset({ config, files, outputDir: dir, seed: 1, onBadFile: 'skip' });
  assert.equal(manifest.inputs.length, 1);
  assert.equal(manifest.skippedFiles?.length, 1);
  assert.equal(manifest.skippedFiles?.[0].path, bad);
  assert.ok((manifest.skippedFiles?.[0].reason.length ?? 0) > 0);
});

test('every file skipped is an error', async () => {
  const config = await nanoaodConfig();
  await assert.rejects(
    constructDataset({ config, files: [sharedData('reader', 'coffea_bad_delphes.root')], outputDir: await temporaryDir(), seed: 1, onBadFile: 'skip' }),
    InputError,
  );
});

test('unknown processor name in the config', async () => {
  const config = await nanoaodConfig();
  config.processor = 'nanoad';
  await assert.rejects(
    constructDataset({ config, files: [sharedData('nanoaod', 'ttH_M125_2017.root')], outputDir: await temporaryDir(), seed: 1 }),
    (error: unknown) => error instanceof ConfigError && error.context.configKey === 'processor' && /nanoaod/.test(error.message),
  );
});

test('per_jet processor rejects a match group', async () => {
  const config = await nanoaodConfig();
  config.processor = 'per_jet';
  await assert.rejects(
    constructDataset({ config, files: [sharedData('nanoaod', 'ttH_M125_2017.root')], outputDir: await temporaryDir(), seed: 1 }),
    (error: unknown) => error instanceof ConfigError && error.context.configKey === 'candidates[0]',
  );
});

test('physlite dataset with flat weights and replaced NaN', async () => {
  const dir = await temporaryDir();
  const config = await loadConfig(path.join(repoRoot(), 'configs', 'physlite_jets.yml'));
  config.reweighting = { ...config.reweighting, method: 'flat', referenceClass: undefined };
  config.nonFinite = { global: { action: 'replace', value: -999 } };
  const manifest = await constructDataset({ config, files: [sharedData('atlas', 'physlite_dl1r.root')], outputDir: dir, seed: 5 });
  assert.equal(manifest.reweightingMethod, 'flat');
  assert.deepEqual(manifest.classes, ['b', 'c', 'light', 'tau']);
  assert.equal(manifest.nonFinite?.global.action, 'replace');

  // Flat weights: within each class, the summed weight of every filled (pT, η) bin is the same.
  const { arrays } = await loadDataset(dir);
  for (const [c, name] of manifest.classes.entries()) {
    const sums = new Map<number, number>();
    const histogram = manifest.histograms[name];
    for (let j = 0; j < arrays.numJets; j++) {
      if (arrays.label[j] !== c) continue;
      const bin = binIndex(histogram, arrays.pt[j], arrays.eta[j]);
      sums.set(bin, (sums.get(bin) ?? 0) + arrays.weight[j]);
    }
    const values = [...sums.values()];
    for (const value of values) assert.ok(Math.abs(value - values[0]) < 1e-5, `class ${name}: bin sums ${values.join(', ')}`);
  }
  for (const value of arrays.global) assert.ok(Number.isFinite(value));
});

test('processes weight and select jets', async () => {
  const config = await nanoaodConfig();
  config.cuts = {};
  config.processes = [
    { name: 'tth', patterns: ['ttH_*.root'], weight: 1 },
    { name: 'dy', patterns: ['DY*.root'], weight: 0.5, selection: 'Jet_pt > 40' },
  ];
  const files = [sharedData('nanoaod', 'ttH_M125_2017.root'), sharedData('nanoaod', 'DYJetsToLL--UL17_v6-v2_109_Skim.root')];
  const plain = await constructDataset({ config: { ...config, processes: undefined }, files, outputDir: await temporaryDir(), seed: 4 });
  const dir = await temporaryDir();
  const manifest = await constructDataset({ config, files, outputDir: dir, seed: 4 });
  assert.equal(manifest.processes?.tth.numJets, 1074);
  assert.deepEqual(manifest.processes?.dy.files, [files[1]]);
  const dyJets = manifest.processes?.dy.numJets ?? 0;
  assert.ok(dyJets > 0, `dy jets ${dyJets}`);
  assert.ok(dyJets < 602, `dy jets ${dyJets}`);
  assert.equal(manifest.dropped.selection, 602 - dyJets);
  assert.equal(manifest.numJets, 1074 + dyJets);
  assert.equal(plain.numJets, 1074 + 602);

  const { arrays } = await loadDataset(dir);
  let lowPt = 0;
  for (let j = 0; j < arrays.numJets; j++) if (arrays.pt[j] <= 40) lowPt += 1;
  // Only ttH jets can be at or below 40 GeV, because the dy selection removed its other jets.
  assert.ok(lowPt > 0);
  assert.ok(lowPt <= 1074);
});

test('process weight without labels', async () => {
  const config = await nanoaodConfig();
  config.cuts = {};
  config.processes = [
    { name: 'tth', patterns: ['ttH_*.root'], weight: 1 },
    { name: 'dy', patterns: ['DY*.root'], weight: 0.5 },
  ];
  const files = [sharedData('nanoaod', 'ttH_M125_2017.root'), sharedData('nanoaod', 'DYJetsToLL--UL17_v6-v2_109_Skim.root')];
  const dir = await temporaryDir();
  await constructDataset({ config, files, outputDir: dir, seed: 4, requireLabels: false });
  const { arrays } = await loadDataset(dir);
  const half = arrays.weight.filter((w) => w === 0.5).length;
  const one = arrays.weight.filter((w) => w === 1).length;
  assert.equal(half, 602);
  assert.equal(one, 1074);
});

test('file without a process', async () => {
  const config = await nanoaodConfig();
  config.processes = [{ name: 'tth', patterns: ['ttH_*.root'], weight: 1 }];
  const files = [sharedData('nanoaod', 'ttH_M125_2017.root'), sharedData('nanoaod', 'DYJetsToLL--UL17_v6-v2_109_Skim.root')];
  await assert.rejects(constructDataset({ config, files, outputDir: await temporaryDir(), seed: 4 }), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.context.file, files[1]);
    assert.match(error.message, /matches no process/);
    return true;
  });
});
