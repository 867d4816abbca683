/**
 * DeepJet training and inference throughput at batch 1024, with peak memory, next to the
 * PyTorch reference script when PyTorch is installed. Both use synthetic jets with the NANOX
 * DeepJet shapes (global [15], cpf [25, 16], npf [25, 6], sv [4, 12], six classes), because
 * the cost does not depend on the values.
 *
 * bhive's numbers come from the training loop's own epoch function (AdamW steps on the
 * cross-entropy, the same code the Training task runs), with one thread and with two
 * data-parallel threads, each in a fresh process, and from `predictModel`. Run with
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
import { ReplicaPool } from '../src/training/replicas/replica-pool.js';
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
interface BhiveReport {
  threads: number;
  backend: string;
  parameters: number;
  trainJetsPerSecond: number;
  trainSeconds: number;
  jets: number;
  inferenceJetsPerSecond: number;
  trainRssMiB: number;
}

/** Train `numBatches` batches with `threads` data-parallel threads in this process and measure. */
async function measureBhive(numBatches: number, threads: number): Promise<BhiveReport> {
  registerBuiltinModels();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-bench-training-'));
  const jets = syntheticJets(DEEPJET_LAYOUT, batchSize * numBatches, 3);
  const classifier = await createClassifier('deepjet', DEEPJET_LAYOUT, { seed: 1, predictBatchSize: batchSize });
  if (!(classifier instanceof TfjsClassifier)) throw new Error('the deepjet model is expected to be a tfjs model');
  const replicas = threads > 1 ? await ReplicaPool.start(classifier.replicaSpec(), threads - 1) : undefined;
  try {
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

    // Warm-up: one batch compiles the kernels and grows the wasm heaps.
    await trainEpoch(classifier, optimizer, { ...options, train: syntheticJets(DEEPJET_LAYOUT, batchSize, 4) }, schedule, 1, random, replicas);
    const start = performance.now();
    const totals = await trainEpoch(classifier, optimizer, options, schedule, 1, random, replicas);
    const trainSeconds = (performance.now() - start) / 1000;
    const trainRssMiB = peakRssMiB();

    await classifier.predictModel(syntheticJets(DEEPJET_LAYOUT, batchSize, 5));
    const inferenceStart = performance.now();
    await classifier.predictModel(jets);
    const inferenceJetsPerSecond = jets.numJets / ((performance.now() - inferenceStart) / 1000);
    optimizer.dispose();
    return {
      threads,
      backend: classifier.describeBackend(),
      parameters: classifier.countParameters(),
      trainJetsPerSecond: totals.jets / trainSeconds,
      trainSeconds,
      jets: totals.jets,
      inferenceJetsPerSecond,
      trainRssMiB,
    };
  } finally {
    await replicas?.close();
    classifier.dispose();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Run `measureBhive` in a fresh process, so that each case's peak RSS is its own. */
function measureInChild(numBatches: number, threads: number): BhiveReport {
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', String(threads), '--batches', String(numBatches)], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`the training measurement with ${threads} threads failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as BhiveReport;
}

export async function benchTraining(numBatches: number): Promise<void> {
  const cases = [1, 2].map((threads) => measureInChild(numBatches, threads));
  line(`DeepJet, bhive ${cases[0].backend}`, `${cases[0].parameters.toLocaleString('en-US')} trainable parameters`);
  for (const c of cases) {
    const label = c.threads === 1 ? '1 thread' : `${c.threads} threads, data-parallel`;
    line(`  training, ${label} (${c.jets} jets, batch ${batchSize}, AdamW)`, `${c.trainJetsPerSecond.toFixed(0)} jets/s (${c.trainSeconds.toFixed(1)} s)`);
    line(`  peak RSS, ${label}`, `${c.trainRssMiB.toFixed(0)} MiB`);
  }
  line(`  inference (${batchSize * numBatches} jets, batch ${batchSize})`, `${cases[0].inferenceJetsPerSecond.toFixed(0)} jets/s`);

  const torch = runTorch();
  if ('skipped' in torch) {
    line('DeepJet, PyTorch', `skipped: ${torch.skipped}`);
    return;
  }
  line(`DeepJet, PyTorch ${torch.version} (${torch.threads} threads)`, `${torch.parameters.toLocaleString('en-US')} trainable parameters`);
  line('  training', `${torch.trainJetsPerSecond.toFixed(0)} jets/s`);
  line('  inference', `${torch.inferenceJetsPerSecond.toFixed(0)} jets/s`);
  line('  peak RSS', `${torch.maxRssMiB.toFixed(0)} MiB`);
  for (const c of cases) {
    line(`bhive (${c.threads} thread${c.threads === 1 ? '' : 's'}) / PyTorch, training`, `${(c.trainJetsPerSecond / torch.trainJetsPerSecond).toFixed(2)}`);
  }
  line('bhive / PyTorch, inference', `${(cases[0].inferenceJetsPerSecond / torch.inferenceJetsPerSecond).toFixed(2)}`);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const flag = process.argv.indexOf('--batches');
  const numBatches = flag >= 0 ? Number(process.argv[flag + 1]) : 4;
  if (!(Number.isInteger(numBatches) && numBatches >= 1)) {
    process.stderr.write(`invalid --batches value '${process.argv[flag + 1]}': expected a positive integer\n`);
    process.exit(2);
  }
  const measure = process.argv.indexOf('--measure');
  if (measure >= 0) {
    process.stdout.write(JSON.stringify(await measureBhive(numBatches, Number(process.argv[measure + 1]))) + '\n');
  } else {
    process.stdout.write(`DeepJet training on ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`);
    await benchTraining(numBatches);
  }
}
