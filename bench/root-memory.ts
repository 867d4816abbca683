/**
 * Peak memory of ROOT reading: each case runs in a fresh child process, which reports its
 * maximum resident set size. Reading a small entry range, or iterating over the whole
 * tree in small chunks, should stay near the baseline whatever the file size. Reading
 * the whole tree at once grows with the entries read.
 *
 * Input: uproot-issue412.root (1,000,000 entries of an int64 and a bool branch, 2.3 MB).
 * Run alone: `npx tsc -p . && node dist/bench/root-memory.js`.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RootFile } from '../src/root/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = process.env.BHIVE_DATA_ROOT ?? path.resolve(root, '..', 'shared', 'data');
const file = path.join(dataDir, 'reader', 'uproot-issue412.root');
const branches = ['b1', 'b2'];

type Case = 'baseline' | 'range-10k' | 'iterate-10k' | 'whole-tree';

async function runCase(which: Case): Promise<void> {
  const rootFile = await RootFile.open(file);
  const tree = await rootFile.tree('test');
  let entries = 0;
  if (which === 'range-10k') {
    const chunk = await tree.arrays(branches, { entryStart: 0, entryStop: 10_000 });
    entries = chunk.entryStop - chunk.entryStart;
  } else if (which === 'iterate-10k') {
    for await (const chunk of tree.iterate(branches, { stepSize: 10_000 })) entries += chunk.entryStop - chunk.entryStart;
  } else if (which === 'whole-tree') {
    const chunk = await tree.arrays(branches);
    entries = chunk.entryStop - chunk.entryStart;
  }
  await rootFile.close();
  // maxRSS is in kilobytes.
  process.stdout.write(`${JSON.stringify({ entries, peakMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

const requested = process.argv[2] as Case | undefined;
if (requested) {
  await runCase(requested);
} else {
  process.stdout.write(`peak memory of reading ${path.basename(file)} on ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`);
  for (const which of ['baseline', 'range-10k', 'iterate-10k', 'whole-tree'] as const) {
    const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), which], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`memory case ${which} failed: ${result.stderr}`);
    const { entries, peakMB } = JSON.parse(result.stdout) as { entries: number; peakMB: number };
    process.stdout.write(`${which.padEnd(14)} ${String(entries).padStart(9)} entries  peak RSS ${peakMB.toFixed(0)} MB\n`);
  }
}
