/**
 * DeepJet inference throughput, side by side: tfjs on the wasm backend (bhive's in-process
 * path), ONNX Runtime on the CPU (the exported model), and PyTorch through a reference
 * script when PyTorch is installed. All run the NANOX DeepJet shapes (global [15],
 * cpf [25, 16], npf [25, 6], sv [4, 12], six classes) on the same synthetic jets, which is
 * enough because the cost does not depend on the values.
 *
 * Run with `node dist/bench/inference.js` after `npx tsc -p .`. The PyTorch script is taken
 * from $BHIVE_TORCH_BENCH, else ../shared/bench/torch_deepjet.py beside the repository, and
 * run with /usr/bin/python3.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportOnnxModel } from '../src/export/export-model.js';
import { OnnxPredictor, onnxRuntimeVersion } from '../src/export/onnx-runtime.js';
import { registerBuiltinModels } from '../src/models/register-builtins.js';
import { createClassifier } from '../src/models/registry.js';
import { DEEPJET_LAYOUT, syntheticJets } from './synthetic-jets.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const torchScript = process.env.BHIVE_TORCH_BENCH ?? path.resolve(root, '..', 'shared', 'bench', 'torch_deepjet.py');


function line(name: string, value: string): void {
  process.stdout.write(`${name.padEnd(52)} ${value}\n`);
}


/** Best jets/s of `rounds` timed calls of `predict`, after one warm-up call. */
async function jetsPerSecond(predict: () => Promise<unknown>, numJets: number, rounds: number): Promise<number> {
  await predict();
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    await predict();
    best = Math.max(best, numJets / ((performance.now() - start) / 1000));
  }
  return best;
}

/** Runs the PyTorch reference, or returns why it cannot run. */
function torchInference(): { jetsPerSecond: number; version: string } | { skipped: string } {
  if (!existsSync(torchScript)) return { skipped: `the script ${torchScript} is missing` };
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { skipped: 'PyTorch is not installed (Debian: apt-get install python3-torch)' };
  const result = spawnSync('/usr/bin/python3', [torchScript, '--model', 'deepjet', '--batch', '1024', '--seconds', '5'], { encoding: 'utf8' });
  if (result.status !== 0) return { skipped: `the script failed: ${result.stderr.trim().split('\n').pop() ?? ''}` };
  const report = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as { inference_jets_per_s?: number; version?: string };
  if (report.inference_jets_per_s === undefined) return { skipped: 'the script printed no inference_jets_per_s' };
  return { jetsPerSecond: report.inference_jets_per_s, version: report.version ?? 'unknown' };
}

/** Measures and prints DeepJet inference jets/s with tfjs, ONNX Runtime and PyTorch. */
export async function benchInference(): Promise<void> {
  registerBuiltinModels();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-bench-inference-'));
  try {
    const numJets = 4096;
    const jets = syntheticJets(DEEPJET_LAYOUT, numJets, 8);
    const classifier = await createClassifier('deepjet', DEEPJET_LAYOUT, { seed: 1 });
    await classifier.save(path.join(workDir, 'model'));
    const tfjs = await jetsPerSecond(() => classifier.predictModel(jets), numJets, 2);
    classifier.dispose();

    const summary = await exportOnnxModel(path.join(workDir, 'model'), path.join(workDir, 'onnx'), { checkJets: syntheticJets(DEEPJET_LAYOUT, 256, 9) });
    const predictor = await OnnxPredictor.load(summary.modelFile, summary.signature, { batchSize: 1024 });
    const onnx = await jetsPerSecond(() => predictor.predict(jets), numJets, 3);
    await predictor.dispose();

    line(`DeepJet inference, tfjs wasm (${numJets} jets, batch 2048)`, `${tfjs.toFixed(0)} jets/s`);
    line(`DeepJet inference, ONNX Runtime ${onnxRuntimeVersion()} CPU (batch 1024)`, `${onnx.toFixed(0)} jets/s`);
    const torch = torchInference();
    if ('skipped' in torch) line('DeepJet inference, PyTorch', `skipped: ${torch.skipped}`);
    else line(`DeepJet inference, PyTorch ${torch.version} (batch 1024)`, `${torch.jetsPerSecond.toFixed(0)} jets/s`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`DeepJet inference on ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`);
  await benchInference();
}
