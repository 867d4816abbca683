import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadDataset } from '../../src/dataset/load.js';
import { RootFile } from '../../src/root/index.js';
import { repoRoot, sharedData } from '../helpers/paths.js';

test('inference keeps spectators in predictions', async () => {
  const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-spectators-'));
  const result = spawnSync(
    process.execPath,
    [
      path.join(repoRoot(), 'bin', 'bhive.js'), 'run', 'Inference', '--config', path.join(repoRoot(), 'configs', 'nanoaod_jets.yml'),
      '--output-dir', outputRoot, '--data-dir', sharedData('nanoaod'), '--model', 'mlp', '--epochs', '2', '--sample', 'ttH', '--quiet',
    ],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  const inferenceParent = path.join(outputRoot, 'Inference', 'nanoaod_jets');
  const inferenceDir = path.join(inferenceParent, readdirSync(inferenceParent)[0]);
  const info = JSON.parse(readFileSync(path.join(inferenceDir, 'predictions.json'), 'utf8')) as { spectators: string[] };
  assert.deepEqual(info.spectators, ['Jet_btagDeepFlavB']);

  const datasetParent = path.join(outputRoot, 'DatasetConstruction', 'nanoaod_jets');
  const datasetDir = path.join(datasetParent, readdirSync(datasetParent).find((name) => name.startsWith('ttH'))!);
  const { arrays } = await loadDataset(datasetDir);
  assert.ok(arrays.spectators, 'the dataset has no spectators');

  const file = await RootFile.open(path.join(inferenceDir, 'predictions.root'));
  const tree = await file.tree('predictions');
  const { columns } = await tree.arrays(['Jet_btagDeepFlavB', 'pt']);
  const score = columns.get('Jet_btagDeepFlavB');
  const pt = columns.get('pt');
  await file.close();
  assert.ok(score && score.kind === 'flat' && pt && pt.kind === 'flat');
  assert.ok(score.values instanceof Float32Array && pt.values instanceof Float32Array);
  assert.equal(score.values.length, arrays.numJets);
  assert.deepEqual(Array.from(score.values), Array.from(arrays.spectators));
  assert.deepEqual(Array.from(pt.values), Array.from(arrays.pt));
});
