/**
 * Throughput of the pipeline stages, measured side by side in one process (part of `npm run bench`).
 *
 * - dataset construction from the NANOX training files (jsroot entry loop, padding,
 *   labelling, reweighting, shuffling, deflated .npz chunks);
 * - DeepJet training on the wasm backend with and without the transpose-first matmul
 *   kernels, on the same synthetic jets in the DeepJet input shapes;
 * - DeepJet inference on the wasm backend.
 *
 * Data: $BHIVE_DATA, else ../shared/data/jets-nanox beside the repository.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveSampleFiles } from '../src/config/inputs.js';
import { loadConfig } from '../src/config/load.js';
import { constructDataset } from '../src/dataset/construct.js';
import type { JetArrays } from '../src/dataset/types.js';
import type { ModelInputLayout } from '../src/models/classifier.js';
import { registerBuiltinModels } from '../src/models/register-builtins.js';
import { createClassifier } from '../src/models/registry.js';
import { installMatMulOverride, restoreMatMulKernels } from '../src/models/tfjs/matmul-override.js';
import { DEEPJET_LAYOUT, syntheticJets } from './synthetic-jets.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = process.env.BHIVE_DATA ?? path.resolve(root, '..', 'shared', 'data', 'jets-nanox');

function line(name: string, value: string): void {
  process.stdout.write(`${name.padEnd(48)} ${value}\n`);
}

async function benchDatasetConstruction(): Promise<void> {
  const config = await loadConfig(path.join(root, 'configs', 'nanox_deepjet.yml'));
  const files = resolveSampleFiles(config, 'train', dataDir);
  const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
  const outputDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-bench-'));
  const start = performance.now();
  const manifest = await constructDataset({ config, files, outputDir, seed: 1 });
  const seconds = (performance.now() - start) / 1000;
  rmSync(outputDir, { recursive: true, force: true });
  const entries = manifest.inputs.reduce((sum, input) => sum + input.numEntries, 0);
  line(`dataset construction (${files.length} files, ${entries} entries)`, `${(entries / seconds).toFixed(0)} entries/s, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s of ROOT file`);
}


async function trainingJetsPerSecond(layout: ModelInputLayout, data: JetArrays, batchSize: number, override: boolean): Promise<number> {
  // Creating a classifier initialises the backend, which installs the override, so the
  // kernels are chosen afterwards.
  const classifier = await createClassifier('deepjet', layout, { seed: 1 });
  if (override) installMatMulOverride('wasm');
  else restoreMatMulKernels('wasm');
  const outputDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-bench-'));
  const summary = await classifier.trainModel({
    train: data,
    validation: selectFirst(data, 128),
    epochs: 1,
    batchSize,
    learningRate: 1e-3,
    weightDecay: 0.01,
    seed: 1,
    outputDir,
  });
  classifier.dispose();
  rmSync(outputDir, { recursive: true, force: true });
  return summary.history[0].jetsPerSecond;
}

function selectFirst(data: JetArrays, n: number): JetArrays {
  const groups: Record<string, Float32Array> = {};
  for (const [name, values] of Object.entries(data.groups)) groups[name] = values.subarray(0, (values.length / data.numJets) * n);
  return {
    numJets: n,
    global: data.global.subarray(0, (data.global.length / data.numJets) * n),
    groups,
    label: data.label.subarray(0, n),
    weight: data.weight.subarray(0, n),
    pt: data.pt.subarray(0, n),
    eta: data.eta.subarray(0, n),
  };
}

async function benchDeepJet(): Promise<void> {
  registerBuiltinModels();
  const layout = DEEPJET_LAYOUT;
  const batchSize = 128;
  const data = syntheticJets(layout, 1024, 7);

  // One warm-up epoch comes first. Then the two kernel sets alternate, so that load from
  // other processes and JIT warm-up affect both alike, and the best of each is reported.
  await trainingJetsPerSecond(layout, selectFirst(data, 256), batchSize, true);
  let withOverride = 0;
  let withoutOverride = 0;
  for (let round = 0; round < 2; round++) {
    withOverride = Math.max(withOverride, await trainingJetsPerSecond(layout, data, batchSize, true));
    withoutOverride = Math.max(withoutOverride, await trainingJetsPerSecond(layout, data, batchSize, false));
  }
  installMatMulOverride('wasm');
  line(`DeepJet training, batch ${batchSize}, transpose-first matmul`, `${withOverride.toFixed(0)} jets/s`);
  line(`DeepJet training, batch ${batchSize}, tfjs wasm matmul`, `${withoutOverride.toFixed(0)} jets/s`);
  line('  ratio', `${(withOverride / withoutOverride).toFixed(2)}x`);

  const classifier = await createClassifier('deepjet', layout, { seed: 1 });
  const inferenceData = syntheticJets(layout, 4096, 8);
  await classifier.predictModel(selectFirst(inferenceData, 256));
  const start = performance.now();
  await classifier.predictModel(inferenceData);
  const seconds = (performance.now() - start) / 1000;
  classifier.dispose();
  line('DeepJet inference (wasm, 4096 jets)', `${(inferenceData.numJets / seconds).toFixed(0)} jets/s`);
}

process.stdout.write(`bhive benchmarks on ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`);
await benchDatasetConstruction();
await benchDeepJet();
