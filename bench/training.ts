/**
 * DeepJet training and inference throughput at batch 1024, with peak memory, next to the
 * PyTorch reference script when PyTorch is installed. Both use synthetic jets with the NANOX
 * DeepJet shapes (global [15], cpf [25, 16], npf [25, 6], sv [4, 12], six classes), because
 * the cost does not depend on the values.
 *
 * bhive's numbers come from the training loop's own epoch function (AdamW steps on the
 * cross-entropy, the same code the Training task runs) and from `predictModel`. Run with
 * `node dist/bench/training.js [--batches N]` after `npx tsc -p .`. The PyTorch script is
 * taken from $BHIVE_TORCH_BENCH, else ../shared/bench/torch_deepjet.py beside the repository,
 * and run with /usr/bin/python3.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainOptions } from '../src/models/classifier.js';
import { registerBuiltinModels } from '../src/models/register-builtins.js';
import { createClassifier } from '../src/models/registry.js';
import { TfjsClassifier } from '../src/models/tfjs/tfjs-classifier.js';
import { AdamW } from '../src/training/adamw.js';
import { trainEpoch } from '../src/training/train-epoch.js';
import { Random } from '../src/random.js';
import { DEEPJET_LAYOUT, syntheticJets } from './synthetic-jets.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const torchScript = process.env.BHIVE_TORCH_BENCH ?? path.resolve(root, '..', 'shared', 'bench', 'torch_deepjet.py');
const batchSize = 1024;


function line(name: string, value: string): void {
  process.stdout.write(`${name.padEnd(56)} ${value}\n`);
}


/** Peak resident set size of this process so far, in MiB. */
function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

interface TorchReport {
  version: string;
  trainJetsPerSecond: number;
  inferenceJetsPerSecond: number;
  maxRssMiB: number;
  threads: number;
  parameters: number;
}

/** Run the PyTorch reference, or return why it cannot run. */
function runTorch(): TorchReport | { skipped: string } {
  if (!existsSync(torchScript)) return { skipped: `the script ${torchScript} is missing` };
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { skipped: 'PyTorch is not installed (Debian: apt-get install python3-torch libopenblas0-pthread)' };
  const result = spawnSync('/usr/bin/python3', [torchScript, '--model', 'deepjet', '--batch', String(batchSize), '--seconds', '10'], { encoding: 'utf8' });
  if (result.status !== 0) return { skipped: `the script failed: ${result.stderr.trim().split('\n').pop() ?? ''}` };
  const report = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number | string | undefined>;
  if (typeof report.train_jets_per_s !== 'number' || typeof report.inference_jets_per_s !== 'number') {
    return { skipped: 'the script printed no train_jets_per_s or inference_jets_per_s' };
  }
  return {
    version: String(report.version ?? 'unknown'),
    trainJetsPerSecond: report.train_jets_per_s,
    inferenceJetsPerSecond: report.inference_jets_per_s,
    maxRssMiB: Number(report.max_rss_mb ?? Number.NaN),
    threads: Number(report.threads ?? Number.NaN),
    parameters: Number(report.parameters ?? Number.NaN),
  };
}

/** Measure and print DeepJet training and inference jets/s and peak memory for bhive and PyTorch. */
export async function benchTraining(numBatches: number): Promise<void> {
  registerBuiltinModels();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-bench-training-'));
  try {
    const jets = syntheticJets(DEEPJET_LAYOUT, batchSize * numBatches, 3);
    const classifier = await createClassifier('deepjet', DEEPJET_LAYOUT, { seed: 1, predictBatchSize: batchSize });
    if (!(classifier instanceof TfjsClassifier)) throw new Error('the deepjet model is expected to be a tfjs model');
    const optimizer = new AdamW(classifier.optimizedParameters(), { learningRate: 1e-3, weightDecay: 0.01 });
    const options: TrainOptions = {
      train: jets,
      validation: jets,
      epochs: 2,
      batchSize,
      learningRate: 1e-3,
      weightDecay: 0.01,
      seed: 1,
      outputDir: workDir,
      sampling: 'weighted_loss',
    };
    const schedule = { name: 'constant' as const, baseLearningRate: 1e-3, epochs: 2 };
    const random = new Random(1);

    // Warm-up: one batch compiles the kernels and grows the wasm heap.
    await trainEpoch(classifier, optimizer, { ...options, train: syntheticJets(DEEPJET_LAYOUT, batchSize, 4) }, schedule, 1, random);
    const start = performance.now();
    const totals = await trainEpoch(classifier, optimizer, options, schedule, 1, random);
    const trainSeconds = (performance.now() - start) / 1000;
    const trainRate = totals.jets / trainSeconds;
    const trainRss = peakRssMiB();

    await classifier.predictModel(syntheticJets(DEEPJET_LAYOUT, batchSize, 5));
    const inferenceStart = performance.now();
    await classifier.predictModel(jets);
    const inferenceRate = jets.numJets / ((performance.now() - inferenceStart) / 1000);
    optimizer.dispose();
    const backend = classifier.describeBackend();
    const numParameters = classifier.countParameters();
    classifier.dispose();

    line(`DeepJet, bhive ${backend}`, `${numParameters.toLocaleString('en-US')} trainable parameters`);
    line(`  training (${totals.jets} jets, batch ${batchSize}, AdamW)`, `${trainRate.toFixed(0)} jets/s (${trainSeconds.toFixed(1)} s)`);
    line(`  inference (${jets.numJets} jets, batch ${batchSize})`, `${inferenceRate.toFixed(0)} jets/s`);
    line('  peak RSS after training', `${trainRss.toFixed(0)} MiB`);
    line('  peak RSS at the end', `${peakRssMiB().toFixed(0)} MiB`);

    const torch = runTorch();
    if ('skipped' in torch) {
      line('DeepJet, PyTorch', `skipped: ${torch.skipped}`);
      return;
    }
    line(`DeepJet, PyTorch ${torch.version} (${torch.threads} threads)`, `${torch.parameters.toLocaleString('en-US')} trainable parameters`);
    line('  training', `${torch.trainJetsPerSecond.toFixed(0)} jets/s`);
    line('  inference', `${torch.inferenceJetsPerSecond.toFixed(0)} jets/s`);
    line('  peak RSS', `${torch.maxRssMiB.toFixed(0)} MiB`);
    line('bhive / PyTorch, training', `${(trainRate / torch.trainJetsPerSecond).toFixed(2)}`);
    line('bhive / PyTorch, inference', `${(inferenceRate / torch.inferenceJetsPerSecond).toFixed(2)}`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const flag = process.argv.indexOf('--batches');
  const numBatches = flag >= 0 ? Number(process.argv[flag + 1]) : 4;
  if (!(Number.isInteger(numBatches) && numBatches >= 1)) {
    process.stderr.write(`invalid --batches value '${process.argv[flag + 1]}': expected a positive integer\n`);
    process.exit(2);
  }
  process.stdout.write(`DeepJet training on ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`);
  await benchTraining(numBatches);
}
