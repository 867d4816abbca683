/**
 * Dataset construction throughput with 1 and 2 worker threads, and its peak memory for an
 * input 1x, 3x and 10x as large, each case in a fresh process. The input is a simulated sample
 * in the NANOX layout written by `bhive generate` into a temporary folder (the shared
 * files are too small to take long), read with configs/nanox_deepjet.yml.
 *
 * Run alone: `npx tsc -p . && node dist/bench/dataset.js [JETS_PER_FILE]` (default 150000,
 * 10 training files: 1,500,000 jets for the 10x case, which takes about a minute with one worker).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveSampleFiles } from '../src/config/inputs.js';
import { loadConfig } from '../src/config/load.js';
import { constructDataset } from '../src/dataset/construct.js';
import { generateSample } from '../src/generate/generate-sample.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Build the dataset from the first `numFiles` training files with `workers` threads and print jets/s and peak RSS. */
async function runCase(dataDir: string, numFiles: number, workers: number): Promise<void> {
  const config = await loadConfig(path.join(root, 'configs', 'nanox_deepjet.yml'));
  const files = resolveSampleFiles(config, 'train', dataDir).slice(0, numFiles);
  const outputDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-bench-dataset-'));
  const start = performance.now();
  const manifest = await constructDataset({ config, files, outputDir, seed: 1, numWorkers: workers });
  const seconds = (performance.now() - start) / 1000;
  rmSync(outputDir, { recursive: true, force: true });
  const entries = manifest.inputs.reduce((sum, input) => sum + input.numEntries, 0);
  process.stdout.write(`${JSON.stringify({ entries, seconds, peakMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

async function main(): Promise<void> {
  const jetsPerFile = Number(process.argv[2] ?? 150_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-bench-sample-'));
  process.stdout.write(`dataset construction on ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`);
  await generateSample({ outputDir: dataDir, numTrainFiles: 10, numTestFiles: 1, jetsPerFile, seed: 1 });
  const cases: Array<[string, number, number]> = [
    ['1 file (1x), 1 worker', 1, 1],
    ['3 files (3x), 1 worker', 3, 1],
    ['10 files (10x), 1 worker', 10, 1],
    ['10 files (10x), 2 workers', 10, 2],
  ];
  for (const [label, numFiles, workers] of cases) {
    const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--case', dataDir, String(numFiles), String(workers)], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`case '${label}' failed: ${result.stderr}`);
    const { entries, seconds, peakMB } = JSON.parse(result.stdout) as { entries: number; seconds: number; peakMB: number };
    process.stdout.write(`${label.padEnd(28)} ${String(entries).padStart(8)} jets  ${(entries / seconds).toFixed(0).padStart(7)} jets/s  ${seconds.toFixed(1)} s  peak RSS ${peakMB.toFixed(0)} MB\n`);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

if (process.argv[2] === '--case') {
  await runCase(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
} else {
  await main();
}
