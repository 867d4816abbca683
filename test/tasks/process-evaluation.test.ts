import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { decodeNpz } from '../../src/dataset/npz.js';
import type { DatasetManifest } from '../../src/dataset/types.js';
import { RootFile } from '../../src/root/index.js';
import { repoRoot, sharedData } from '../helpers/paths.js';

interface ProcessEntry {
  process: string;
  selection: string | null;
  num_jets: number;
  num_signal_jets: number;
  num_background_jets: number;
  auc: number | null;
}

interface RocEntry {
  auc: number;
  num_signal_jets: number;
  num_background_jets: number;
  kind?: string;
  score?: string;
  processes?: ProcessEntry[];
}

/** AUC by counting pairs: P(signal > background) + P(equal) / 2. */
function bruteForceAuc(signal: number[], background: number[]): number {
  let sum = 0;
  for (const s of signal) {
    for (const b of background) {
      if (s > b) sum += 1;
      else if (s === b) sum += 0.5;
    }
  }
  return sum / (signal.length * background.length);
}

function onlyChild(parent: string): string {
  const entries = readdirSync(parent);
  assert.equal(entries.length, 1, `${parent} contains ${entries.join(', ')}`);
  return path.join(parent, entries[0]);
}

/** The processes block that configs/nanoaod_jets.yml shows commented out. */
const PROCESSES_BLOCK = `
processes:
  ttH: { files: ["ttH_*.root"], evaluation_selection: "pt > 30" }
  dy: { files: ["DYJets*.root"], evaluation_selection: "pt > 20 && abs(eta) < 2.4" }
  ggH: { files: ["ggH_*.root"] }
  data: { files: ["EGamma_*.root"] }
`;

let chainOutput: string | undefined;

/** Writes configs/nanoaod_jets.yml with the processes block into a new folder and returns its path. */
function writeProcessConfig(): string {
  const configFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'bhive-process-config-')), 'nanoaod_jets.yml');
  writeFileSync(configFile, `${readFileSync(path.join(repoRoot(), 'configs', 'nanoaod_jets.yml'), 'utf8')}\n${PROCESSES_BLOCK}`);
  return configFile;
}

/** Runs Report of `configFile` once (MLP, one epoch, sample train) and returns the output root. */
function runChainOnce(configFile: string): string {
  if (chainOutput !== undefined) return chainOutput;
  const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-process-chain-'));
  const result = spawnSync(
    process.execPath,
    [
      path.join(repoRoot(), 'bin', 'bhive.js'), 'run', 'Report', '--config', configFile, '--output-dir', outputRoot,
      '--data-dir', sharedData('nanoaod'), '--model', 'mlp', '--epochs', '1', '--sample', 'train', '--quiet',
    ],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  chainOutput = outputRoot;
  return outputRoot;
}

test('chain evaluates processes and references', async () => {
  const configFile = writeProcessConfig();
  const config = await loadConfig(configFile);
  // The cuts below are written out by hand; this check fails first when the config changes them.
  assert.deepEqual(
    config.processes?.map((p) => [p.name, p.evaluationSelection]),
    [['ttH', 'pt > 30'], ['dy', 'pt > 20 && abs(eta) < 2.4'], ['ggH', undefined], ['data', undefined]],
  );
  const passes = (process: string, pt: number, eta: number): boolean => {
    if (process === 'ttH') return pt > 30;
    if (process === 'dy') return pt > 20 && Math.abs(eta) < 2.4;
    return true;
  };

  const outputRoot = runChainOnce(configFile);

  // The dataset records the process of every jet, and inference copies it.
  const datasetDir = onlyChild(path.join(outputRoot, 'DatasetConstruction', 'nanoaod_jets'));
  const manifest = JSON.parse(readFileSync(path.join(datasetDir, 'manifest.json'), 'utf8')) as DatasetManifest;
  assert.deepEqual(manifest.processNames, ['ttH', 'dy', 'ggH', 'data']);
  const inferenceDir = onlyChild(path.join(outputRoot, 'Inference', 'nanoaod_jets'));
  const info = JSON.parse(readFileSync(path.join(inferenceDir, 'predictions.json'), 'utf8')) as { processes: string[] };
  assert.deepEqual(info.processes, manifest.processNames);

  const npzFile = path.join(inferenceDir, 'predictions.npz');
  const arrays = decodeNpz(readFileSync(npzFile), npzFile);
  const processIndex = arrays.get('process')?.data;
  const probabilities = arrays.get('probabilities')?.data;
  const labels = arrays.get('label')?.data;
  const pt = arrays.get('pt')?.data;
  const eta = arrays.get('eta')?.data;
  const spectators = arrays.get('spectators')?.data;
  assert.ok(processIndex instanceof Int32Array, 'predictions.npz has no int32 array process');
  assert.ok(probabilities, 'predictions.npz lacks probabilities');
  assert.ok(labels, 'predictions.npz lacks label');
  assert.ok(pt, 'predictions.npz lacks pt');
  assert.ok(eta, 'predictions.npz lacks eta');
  assert.ok(spectators, 'predictions.npz lacks spectators');
  const numJets = processIndex.length;
  assert.equal(numJets, manifest.numJets);
  manifest.processNames!.forEach((name, k) => {
    assert.equal(processIndex.filter((index) => index === k).length, manifest.processes![name].numJets, `jets of process ${name}`);
  });
  const file = await RootFile.open(path.join(inferenceDir, 'predictions.root'));
  const { columns } = await (await file.tree('predictions')).arrays(['process']);
  await file.close();
  const branch = columns.get('process');
  assert.ok(branch, 'predictions.root has no branch process');
  assert.ok(branch.kind === 'flat', 'branch process of predictions.root is not flat');
  assert.ok(branch.values instanceof Int32Array, 'branch process is not int32');
  assert.deepEqual(Array.from(branch.values), Array.from(processIndex));

  // Classes of nanoaod_jets.yml: b = 0, c = 1, light = 2; BvsL = p(b) / (p(b) + p(light)).
  const bvsl = (i: number): number => {
    const denominator = probabilities[3 * i] + probabilities[3 * i + 2];
    return denominator > 0 ? probabilities[3 * i] / denominator : 0;
  };
  const deepFlavB = (i: number): number => spectators[i];
  const names = manifest.processNames!;
  const kept = Array.from({ length: numJets }, (_, i) => i).filter((i) => passes(names[processIndex[i]], pt[i], eta[i]));
  const aucOf = (jets: number[], score: (i: number) => number): number =>
    bruteForceAuc(jets.filter((i) => labels[i] === 0).map(score), jets.filter((i) => labels[i] === 2).map(score));

  const roc = JSON.parse(readFileSync(path.join(onlyChild(path.join(outputRoot, 'ROCCurve', 'nanoaod_jets')), 'roc.json'), 'utf8')) as Record<string, RocEntry>;
  assert.ok(Math.abs(roc.BvsL.auc - aucOf(kept, bvsl)) < 1e-12, `inclusive BvsL AUC ${roc.BvsL.auc}`);
  assert.equal(roc.DeepFlavB.kind, 'stored');
  assert.equal(roc.DeepFlavB.score, 'Jet_btagDeepFlavB');
  assert.ok(Math.abs(roc.DeepFlavB.auc - aucOf(kept, deepFlavB)) < 1e-12, `reference AUC ${roc.DeepFlavB.auc}`);
  for (const [name, score] of [['BvsL', bvsl], ['DeepFlavB', deepFlavB]] as const) {
    const perProcess = roc[name].processes;
    assert.ok(perProcess);
    assert.deepEqual(perProcess.map((p) => p.process), names);
    perProcess.forEach((entry, k) => {
      const jets = kept.filter((i) => processIndex[i] === k);
      assert.equal(entry.num_jets, jets.length, `${name} ${entry.process} jets`);
      const numSignal = jets.filter((i) => labels[i] === 0).length;
      const numBackground = jets.filter((i) => labels[i] === 2).length;
      if (numSignal === 0 || numBackground === 0) {
        assert.equal(entry.auc, null);
        return;
      }
      assert.notEqual(entry.auc, null, `${name} ${entry.process} has no AUC`);
      assert.ok(Math.abs((entry.auc ?? NaN) - aucOf(jets, score)) < 1e-12, `${name} ${entry.process} AUC ${entry.auc}`);
    });
  }

  // The Report shows the same numbers, the ratio panel and the per-process plots.
  const reportDir = onlyChild(path.join(outputRoot, 'Report', 'nanoaod_jets'));
  const summary = JSON.parse(readFileSync(path.join(reportDir, 'evaluation.json'), 'utf8')) as {
    discriminants: Array<{ name: string; kind: string; auc: number; processes?: ProcessEntry[] }>;
    plots: Array<{ name: string }>;
  };
  const reference = summary.discriminants.find((d) => d.name === 'DeepFlavB');
  assert.equal(reference?.kind, 'stored');
  assert.ok(Math.abs(reference.auc - roc.DeepFlavB.auc) < 1e-12);
  assert.deepEqual(summary.discriminants.find((d) => d.name === 'BvsL')?.processes?.map((p) => p.auc), roc.BvsL.processes?.map((p) => p.auc));
  const plotNames = summary.plots.map((p) => p.name);
  for (const name of ['roc_ratio_BvsL_vs_DeepFlavB', 'roc_processes_BvsL', 'roc_processes_DeepFlavB']) {
    assert.ok(plotNames.includes(name), `evaluation.json lists no plot ${name}`);
    assert.ok(existsSync(path.join(reportDir, `${name}.svg`)), `${name}.svg is missing`);
  }
  const html = readFileSync(path.join(reportDir, 'report.html'), 'utf8');
  assert.match(html, /<h2 id="processes">Processes<\/h2>/);
  assert.ok(existsSync(path.join(reportDir, 'processes.csv')));
});

test('evaluate reads process column', () => {
  const outputRoot = runChainOnce(writeProcessConfig());
  const inferenceDir = onlyChild(path.join(outputRoot, 'Inference', 'nanoaod_jets'));
  const roc = JSON.parse(readFileSync(path.join(onlyChild(path.join(outputRoot, 'ROCCurve', 'nanoaod_jets')), 'roc.json'), 'utf8')) as Record<string, RocEntry>;

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-process-evaluate-'));
  const configFile = path.join(workDir, 'evaluate.yml');
  writeFileSync(
    configFile,
    [
      'name: processes_from_predictions',
      'input:',
      '  tree: predictions',
      '  labels: { one_hot: { b: isb, c: isc, light: islight } }',
      '  scores: { b: prob_b, c: prob_c, light: prob_light }',
      '  pt: pt',
      '  eta: eta',
      '  process: process',
      'processes:',
      '  - { name: ttH, evaluation_selection: "pt > 30" }',
      '  - { name: dy, evaluation_selection: "pt > 20 && abs(eta) < 2.4" }',
      '  - { name: ggH }',
      '  - { name: data }',
      'discriminants:',
      '  BvsL: { signal: [b], background: [light] }',
      'reference_taggers:',
      '  DeepFlavB: { score: Jet_btagDeepFlavB, signal: [b], background: [light] }',
      '',
    ].join('\n'),
  );
  const outputDir = path.join(workDir, 'out');
  const result = spawnSync(
    process.execPath,
    [path.join(repoRoot(), 'bin', 'bhive.js'), 'evaluate', path.join(inferenceDir, 'predictions.root'), '--config', configFile, '--output', outputDir, '--quiet'],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  const summary = JSON.parse(readFileSync(path.join(outputDir, 'evaluation.json'), 'utf8')) as {
    discriminants: Array<{ name: string; auc: number; processes?: ProcessEntry[] }>;
  };
  // Same jets and cuts as the chain, so the same numbers as its roc.json.
  for (const name of ['BvsL', 'DeepFlavB']) {
    const evaluated = summary.discriminants.find((d) => d.name === name);
    assert.ok(evaluated?.processes, `${name} has no per-process results`);
    assert.ok(Math.abs(evaluated.auc - roc[name].auc) < 1e-12, `${name} inclusive AUC ${evaluated.auc} against ${roc[name].auc}`);
    assert.deepEqual(evaluated.processes.map((p) => [p.process, p.num_jets, p.auc]), roc[name].processes?.map((p) => [p.process, p.num_jets, p.auc]));
  }
});
