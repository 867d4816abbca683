import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { repoRoot, sharedData } from '../helpers/paths.js';

// Dataset construction split into one Slurm job per group of input files, then a merge job,
// on the single-node Slurm cluster that scripts/slurm-local.sh starts.
const bhive = path.join(repoRoot(), 'bin', 'bhive.js');
const config = path.join(repoRoot(), 'configs', 'nanox_deepjet.yml');
const batchEnv = { ...process.env, BHIVE_BATCH_POLL_SECONDS: '0.3', BHIVE_BATCH_RETRY_SECONDS: '0.5' };

before(() => {
  const which = spawnSync('which', ['sbatch']);
  assert.equal(which.status, 0, 'Slurm is not installed: apt-get install slurm-wlm munge, then scripts/slurm-local.sh start');
  const started = spawnSync('bash', [path.join(repoRoot(), 'scripts', 'slurm-local.sh'), 'start'], { encoding: 'utf8' });
  assert.equal(started.status, 0, `could not start the local Slurm cluster: ${started.stderr}`);
});

/**
 * Writes a task module that adds no task but makes the `_build-part` process of `part`
 * exit with code 1: once when `always` is false (a marker file remembers the failure), on
 * every attempt when it is true.
 */
function writeFailingPartModule(dir: string, part: string, always: boolean): string {
  const file = path.join(dir, `fail-${part}.mjs`);
  const marker = path.join(dir, `${part}-failed-once`);
  writeFileSync(
    file,
    `import { existsSync, writeFileSync } from 'node:fs';
const marker = ${JSON.stringify(marker)};
if (process.argv[2] === '_build-part' && process.argv[4] === ${JSON.stringify(part)} && (${always} || !existsSync(marker))) {
  writeFileSync(marker, 'x');
  process.stderr.write('simulated failure of ${part}\\n');
  process.exit(1);
}
export function registerTasks() {}
`,
  );
  return file;
}

function runConstruction(outputRoot: string, extra: string[]): ReturnType<typeof spawnSync> & { stderr: string } {
  const args = [bhive, 'run', 'DatasetConstruction', '--config', config, '--output-dir', outputRoot, '--data-dir', sharedData('jets-nanox'), '--quiet', ...extra];
  return spawnSync(process.execPath, args, { encoding: 'utf8', env: batchEnv });
}

/** Returns the one task output directory under `outputRoot`. */
function outputOf(outputRoot: string): string {
  const parent = path.join(outputRoot, 'DatasetConstruction', 'nanox_deepjet');
  const names = readdirSync(parent).filter((name) => !name.includes('.'));
  assert.equal(names.length, 1, `outputs in ${parent}: ${names.join(', ')}`);
  return path.join(parent, names[0]);
}

/** Asserts that two datasets have byte-identical chunks and manifests. */
function assertSameDataset(a: string, b: string): void {
  const names = readdirSync(a).filter((name) => name.endsWith('.npz') || name === 'manifest.json').sort();
  assert.ok(names.includes('manifest.json'));
  assert.deepEqual(readdirSync(b).filter((name) => name.endsWith('.npz') || name === 'manifest.json').sort(), names);
  for (const name of names) assert.ok(readFileSync(path.join(a, name)).equals(readFileSync(path.join(b, name))), `${name} differs`);
}

function attemptsOf(folder: string): number {
  return (JSON.parse(readFileSync(path.join(folder, 'job.json'), 'utf8')) as { attempts: number }).attempts;
}

test('part jobs retry and merge', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-slurm-parts-'));
  const module = writeFailingPartModule(dir, 'part-00001', false);
  const batch = runConstruction(path.join(dir, 'batch'), ['--executor', 'slurm', '--files-per-job', '2', '--chunk-size', '500', '--module', module]);
  assert.equal(batch.status, 0, batch.stderr);
  assert.match(batch.stderr, /3 part\(s\) to build as separate jobs/);
  assert.match(batch.stderr, /simulated failure of part-00001/);
  assert.match(batch.stderr, /DatasetConstruction part-00001: retrying in 0\.5 s \(attempt 2 of 3\)/);
  assert.doesNotMatch(batch.stderr, /part-0000[02]: retrying/);
  // Three parts, one retry and the merge job.
  // One array job for the three parts, one retry job for part-00001, one merge job.
  assert.match(batch.stderr, /submitted Slurm array job \d+ with 3 tasks/);
  assert.match(batch.stderr, /part-00000: Slurm array task \d+_0/);
  assert.equal((batch.stderr.match(/submitted Slurm job \d+/g) ?? []).length, 2);

  const output = outputOf(path.join(dir, 'batch'));
  assert.equal(attemptsOf(path.join(`${output}.jobs`, 'part-00000')), 1);
  assert.equal(attemptsOf(path.join(`${output}.jobs`, 'part-00001')), 2);
  assert.equal(attemptsOf(path.join(`${output}.jobs`, 'part-00002')), 1);
  assert.equal(attemptsOf(`${output}.jobs`), 1);
  assert.equal(existsSync(`${output}.parts`), false);

  const local = runConstruction(path.join(dir, 'local'), ['--chunk-size', '500']);
  assert.equal(local.status, 0, local.stderr);
  assertSameDataset(outputOf(path.join(dir, 'local')), output);
});

test('restart reuses finished parts', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-slurm-parts-'));
  const outputRoot = path.join(dir, 'batch');
  const module = writeFailingPartModule(dir, 'part-00002', true);
  const common = ['--executor', 'slurm', '--files-per-job', '2', '--batch-retries', '0'];
  const failed = runConstruction(outputRoot, [...common, '--module', module]);
  assert.equal(failed.status, 1, failed.stderr);
  assert.match(failed.stderr, /1 of 3 part job\(s\) failed after their retries, so the merge job was not submitted/);
  assert.match(failed.stderr, /part-00002 failed in 1 Slurm job/);

  const parent = path.join(outputRoot, 'DatasetConstruction', 'nanox_deepjet');
  const partsDir = readdirSync(parent).find((name) => name.endsWith('.parts'));
  assert.ok(partsDir, `no parts folder in ${parent}`);
  assert.deepEqual(readdirSync(path.join(parent, partsDir)).filter((name) => name.startsWith('part-')).sort(), ['part-00000', 'part-00001']);

  const second = runConstruction(outputRoot, common);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, /1 part\(s\) to build as separate jobs/);
  assert.match(second.stderr, /DatasetConstruction part-00002: submitted Slurm job/);
  assert.doesNotMatch(second.stderr, /part-0000[01]: submitted/);

  const local = runConstruction(path.join(dir, 'local'), []);
  assert.equal(local.status, 0, local.stderr);
  assertSameDataset(outputOf(path.join(dir, 'local')), outputOf(outputRoot));
});
