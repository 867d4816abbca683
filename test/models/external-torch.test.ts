import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { defaultPython, ExternalClassifier } from '../../src/models/external/external-classifier.js';
import { torchDeepJetDefinition, torchPartDefinition } from '../../src/models/external/definitions.js';
import { registerBuiltinModels } from '../../src/models/register-builtins.js';
import { loadClassifier } from '../../src/models/registry.js';
import type { TrainOptions } from '../../src/models/classifier.js';
import { repoRoot, sharedData } from '../helpers/paths.js';
import { smallLayout, syntheticJets } from './synthetic-jets.js';

/** Fail with the fix when the PyTorch worker cannot run here. */
function requireTorch(): void {
  const python = defaultPython();
  const result = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  assert.equal(
    result.status,
    0,
    `${python} cannot import torch (${(result.stderr ?? String(result.error)).trim().split('\n').at(-1)}); ` +
      "install Debian's python3-torch (apt-get install python3-torch libopenblas0-pthread) or set BHIVE_PYTHON to a Python with torch",
  );
}

/**
 * Standard error of an AUC from Hanley and McNeil (Radiology 143 (1982) 29), for `numSignal`
 * and `numBackground` independent jets.
 */
function hanleyMcNeilError(auc: number, numSignal: number, numBackground: number): number {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance = (auc * (1 - auc) + (numSignal - 1) * (q1 - auc * auc) + (numBackground - 1) * (q2 - auc * auc)) / (numSignal * numBackground);
  return Math.sqrt(variance);
}

interface RocEntry {
  auc: number;
  num_signal_jets: number;
  num_background_jets: number;
}

/** Run the chain up to ROCCurve with `model` and return roc.json. */
function runRocChain(outputRoot: string, model: string, epochs: number): Record<string, RocEntry> {
  const result = spawnSync(
    process.execPath,
    [
      path.join(repoRoot(), 'bin', 'bhive.js'),
      'run',
      'ROCCurve',
      '--config',
      path.join(repoRoot(), 'configs', 'nanox_deepjet.yml'),
      '--output-dir',
      outputRoot,
      '--data-dir',
      sharedData('jets-nanox'),
      '--model',
      model,
      '--epochs',
      String(epochs),
      '--quiet',
    ],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, `bhive run ROCCurve --model ${model} failed:\n${result.stderr}`);
  const parent = path.join(outputRoot, 'ROCCurve', 'nanox_deepjet');
  const leaves = readdirSync(parent).filter((name) => !name.startsWith('.') && !name.endsWith('.lock'));
  const leaf = leaves.find((name) => readFileSync(path.join(parent, name, 'provenance.json'), 'utf8').includes(`"${model}"`));
  assert.ok(leaf !== undefined, `no ROCCurve output for ${model} in ${parent}`);
  return JSON.parse(readFileSync(path.join(parent, leaf, 'roc.json'), 'utf8')) as Record<string, RocEntry>;
}

// Both models train 12 epochs with the same seed, split and sampling on the jets-nanox training
// files and are evaluated on its test files (1485 jets). The AUCs are compared with the
// Hanley-McNeil errors of both, added in quadrature as if independent (conservative, because
// the test jets are shared): |ΔAUC| must stay below 3σ. About 60 s on two cores.
test('torch DeepJet AUC agrees with tfjs DeepJet', (t) => {
  requireTorch();
  const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-torch-deepjet-'));
  const epochs = 12;
  const tfjs = runRocChain(outputRoot, 'deepjet', epochs).BvsL;
  const torch = runRocChain(outputRoot, 'torch_deepjet', epochs).BvsL;

  const sigma = Math.hypot(
    hanleyMcNeilError(tfjs.auc, tfjs.num_signal_jets, tfjs.num_background_jets),
    hanleyMcNeilError(torch.auc, torch.num_signal_jets, torch.num_background_jets),
  );
  const difference = torch.auc - tfjs.auc;
  const summary = `BvsL AUC torch ${torch.auc.toFixed(4)}, tfjs ${tfjs.auc.toFixed(4)}, difference ${difference.toFixed(4)}, σ ${sigma.toFixed(4)}`;
  t.diagnostic(summary);
  assert.equal(torch.num_signal_jets, tfjs.num_signal_jets);
  assert.ok(torch.auc > 0.8, `torch DeepJet learned too little: ${summary}`);
  assert.ok(Math.abs(difference) < 3 * sigma, `AUCs differ by more than 3σ: ${summary}`);
});

test('torch DeepJet resume matches uninterrupted run', async () => {
  requireTorch();
  const layout = smallLayout();
  const train = syntheticJets(layout, 400, 31);
  const validation = syntheticJets(layout, 100, 32);
  const modelOptions = { seed: 5, threads: 1, denseLayers: [16], groups: Object.fromEntries(layout.groups.map((g) => [g.name, { dense: [8], lstmUnits: 8 }])) };
  const trainOptions = (outputDir: string, epochs: number, resume?: 'latest'): TrainOptions => ({
    train,
    validation,
    epochs,
    batchSize: 32,
    learningRate: 0.01,
    weightDecay: 0.01,
    seed: 9,
    outputDir,
    schedule: 'epoch_lin_decay',
    resumeFrom: resume,
  });

  const straightDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-torch-straight-'));
  const straight = await ExternalClassifier.create(torchDeepJetDefinition, layout, modelOptions);
  const straightSummary = await straight.trainModel(trainOptions(straightDir, 3));
  const expected = await straight.predictModel(validation);
  await straight.close();

  const resumedDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-torch-resumed-'));
  const first = await ExternalClassifier.create(torchDeepJetDefinition, layout, modelOptions);
  await first.trainModel(trainOptions(resumedDir, 3));
  await first.close();
  // Drop the last two checkpoints, as if the first run had been killed after epoch 1.
  for (const name of ['checkpoint_epoch_002', 'checkpoint_epoch_003']) rmSync(path.join(resumedDir, name), { recursive: true });
  const second = await ExternalClassifier.create(torchDeepJetDefinition, layout, modelOptions);
  const resumedSummary = await second.trainModel(trainOptions(resumedDir, 3, 'latest'));
  const actual = await second.predictModel(validation);
  await second.close();

  assert.equal(resumedSummary.resumedFromEpoch, 1);
  assert.deepEqual(
    resumedSummary.history.map((m) => m.validationLoss),
    straightSummary.history.map((m) => m.validationLoss),
  );
  let maxDifference = 0;
  for (let i = 0; i < expected.length; i++) maxDifference = Math.max(maxDifference, Math.abs(expected[i] - actual[i]));
  assert.ok(maxDifference < 1e-6, `resumed predictions differ by up to ${maxDifference}`);
});

test('torch ParT with pair features trains and reloads', async () => {
  requireTorch();
  const base = smallLayout();
  const layout = { ...base, groups: [{ name: 'cpf', maxCandidates: 4, features: ['pt', 'eta', 'phi', 'energy'] }, ...base.groups.slice(1)] };
  const train = syntheticJets(layout, 300, 41);
  const validation = syntheticJets(layout, 100, 42);
  const options = { threads: 1, embedDim: 16, numBlocks: 1, pairFeatures: { group: 'cpf', pt: 'pt', eta: 'eta', phi: 'phi', energy: 'energy' } };
  const classifier = await ExternalClassifier.create(torchPartDefinition, layout, options);
  const outputDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-torch-part-'));
  const summary = await classifier.trainModel({ train, validation, epochs: 2, batchSize: 32, learningRate: 0.001, weightDecay: 0.01, seed: 4, outputDir });
  for (const metrics of summary.history) assert.ok(Number.isFinite(metrics.validationLoss), `validation loss ${metrics.validationLoss} in epoch ${metrics.epoch}`);

  const expected = await classifier.predictModel(validation);
  for (let jet = 0; jet < validation.numJets; jet++) {
    const rowSum = expected[3 * jet] + expected[3 * jet + 1] + expected[3 * jet + 2];
    assert.ok(Math.abs(rowSum - 1) < 1e-5, `probabilities of jet ${jet} sum to ${rowSum}`);
  }
  await classifier.close();

  registerBuiltinModels();
  const reloaded = await loadClassifier(path.join(outputDir, 'checkpoint_epoch_002'));
  assert.equal(reloaded.modelName, 'torch_part');
  const actual = await reloaded.predictModel(validation);
  reloaded.dispose();
  assert.deepEqual(Array.from(actual), Array.from(expected));
});

test('torch worker rejects negative threads', async () => {
  requireTorch();
  await assert.rejects(ExternalClassifier.create(torchDeepJetDefinition, smallLayout(), { threads: -3 }), /option 'threads' must be 0/);
});
