/**
 * `npm run bench`: runs every benchmark script of this folder in turn, each in its own
 * process so that one's memory and JIT state do not affect the next. Each script prints
 * its machine, inputs and side-by-side ratios; record results in docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const scripts = ['root-reader.js', 'root-memory.js', 'dataset.js', 'pipeline.js', 'inference.js', 'training.js', 'evaluation.js'];

let failed = 0;
for (const script of scripts) {
  const file = path.join(here, script);
  if (!existsSync(file)) continue;
  process.stdout.write(`\n== ${script.replace(/\.js$/, '')} ==\n`);
  const result = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`benchmark ${script} failed with exit code ${String(result.status)}\n`);
    failed++;
  }
}
process.exitCode = failed > 0 ? 1 : 0;
