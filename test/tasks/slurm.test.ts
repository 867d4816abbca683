import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, test } from 'node:test';
import { parseScontrolJob } from '../../src/tasks/executors/slurm.js';
import { repoRoot, sharedData } from '../helpers/paths.js';

// These tests submit real jobs to a single-node Slurm cluster on this machine. .ci/run
// installs Debian's slurm-wlm and munge; scripts/slurm-local.sh starts the daemons.
const bhive = path.join(repoRoot(), 'bin', 'bhive.js');
const config = path.join(repoRoot(), 'configs', 'nanox_deepjet.yml');
const batchEnv = { ...process.env, BHIVE_BATCH_POLL_SECONDS: '0.3', BHIVE_BATCH_RETRY_SECONDS: '0.5' };

before(() => {
  const which = spawnSync('which', ['sbatch']);
  assert.equal(which.status, 0, 'Slurm is not installed: apt-get install slurm-wlm munge, then scripts/slurm-local.sh start');
  const started = spawnSync('bash', [path.join(repoRoot(), 'scripts', 'slurm-local.sh'), 'start'], { encoding: 'utf8' });
  assert.equal(started.status, 0, `could not start the local Slurm cluster: ${started.stderr}`);
});

/** Write a task module whose task sleeps `sleepSeconds`, fails on its first run and succeeds after. */
function writeFlakyModule(dir: string, sleepSeconds: number): string {
  const file = path.join(dir, 'flaky.mjs');
  const marker = path.join(dir, 'first-attempt-done');
  writeFileSync(
    file,
    `import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
export function registerTasks(registry) {
  registry.register({
    name: 'Flaky',
    description: 'fails once, then writes done.txt',
    parameters: [],
    configKeys: [],
    requires: () => [],
    async run({ outputDir }) {
      await sleep(${sleepSeconds * 1000});
      if (!existsSync(${JSON.stringify(marker)})) {
        writeFileSync(${JSON.stringify(marker)}, 'x');
        throw new Error('simulated failure of the first attempt');
      }
      writeFileSync(path.join(outputDir, 'done.txt'), 'done');
    },
  });
}
`,
  );
  return file;
}

function flakyArgs(dir: string, module: string): string[] {
  return [bhive, 'run', 'Flaky', '--config', config, '--output-dir', path.join(dir, 'results'), '--module', module, '--executor', 'slurm', '--quiet'];
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

test('scontrol output parsing', () => {
  const line = 'JobId=12 JobName=bhive-Training UserId=root(0) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) ExitCode=3:0 RunTime=00:00:01';
  assert.deepEqual(parseScontrolJob(line), { state: 'FAILED', exitCode: 3 });
  assert.deepEqual(parseScontrolJob('JobId=3 JobState=PENDING Reason=Priority'), { state: 'PENDING', exitCode: undefined });
  assert.throws(() => parseScontrolJob('no state here'), /could not read a job state/);
});

test('chain runs as Slurm jobs', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-slurm-'));
  const outputRoot = path.join(dir, 'results');
  const result = spawnSync(
    process.execPath,
    [bhive, 'run', 'WorkingPoint', '--config', config, '--output-dir', outputRoot, '--data-dir', sharedData('jets-nanox'), '--model', 'mlp', '--epochs', '2', '--executor', 'slurm', '--quiet'],
    { encoding: 'utf8', env: batchEnv },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /6 task\(s\) ran, 0 reused/);
  assert.equal((result.stderr.match(/submitted Slurm job \d+/g) ?? []).length, 6);
  const parent = path.join(outputRoot, 'WorkingPoint', 'nanox_deepjet');
  const output = readdirSync(parent).find((name) => !name.endsWith('.jobs'));
  assert.ok(output);
  assert.ok(existsSync(path.join(parent, output, 'metrics.json')));
  const record = JSON.parse(readFileSync(path.join(parent, `${output}.jobs`, 'job.json'), 'utf8')) as { jobIds: string[]; attempts: number };
  assert.equal(record.attempts, 1);
  assert.ok(existsSync(path.join(parent, `${output}.jobs`, `slurm-${record.jobIds[0]}.log`)));
});

test('failed Slurm job is retried', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-slurm-'));
  const module = writeFlakyModule(dir, 0);
  const result = spawnSync(process.execPath, flakyArgs(dir, module), { encoding: 'utf8', env: batchEnv });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /ended FAILED \(exit code 1\)/);
  assert.match(result.stderr, /simulated failure of the first attempt/);
  assert.match(result.stderr, /retrying in 0\.5 s \(attempt 2 of 3\)/);
  const parent = path.join(dir, 'results', 'Flaky', 'nanox_deepjet');
  const output = readdirSync(parent).find((name) => !name.endsWith('.jobs') && !name.endsWith('.lock'));
  assert.ok(output);
  assert.equal(readFileSync(path.join(parent, output, 'done.txt'), 'utf8'), 'done');
  const record = JSON.parse(readFileSync(path.join(parent, `${output}.jobs`, 'job.json'), 'utf8')) as { jobIds: string[]; attempts: number };
  assert.equal(record.attempts, 2);
});

test('restarted bhive re-attaches to its running job', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-slurm-'));
  const module = writeFlakyModule(dir, 4);
  // The first attempt is meant to succeed here: mark it as done already.
  writeFileSync(path.join(dir, 'first-attempt-done'), 'x');
  const first = spawn(process.execPath, flakyArgs(dir, module), { stdio: ['ignore', 'ignore', 'pipe'], env: batchEnv });
  let firstStderr = '';
  first.stderr?.on('data', (chunk: Buffer) => (firstStderr += chunk.toString()));
  const exited = exitOf(first);
  const deadline = Date.now() + 30_000;
  while (!/submitted Slurm job/.test(firstStderr) && Date.now() < deadline) await sleep(100);
  first.kill('SIGKILL');
  await exited;
  const jobId = /submitted Slurm job (\d+)/.exec(firstStderr)?.[1];
  assert.ok(jobId, firstStderr);

  const second = spawnSync(process.execPath, flakyArgs(dir, module), { encoding: 'utf8', env: batchEnv });
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, new RegExp(`re-attaching to Slurm job ${jobId}`));
  assert.doesNotMatch(second.stderr, /submitted Slurm job/);
});

test('Ctrl-C cancels the submitted jobs', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-slurm-'));
  const module = writeFlakyModule(dir, 30);
  const child = spawn(process.execPath, flakyArgs(dir, module), { stdio: ['ignore', 'ignore', 'pipe'], env: batchEnv });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = exitOf(child);
  const deadline = Date.now() + 30_000;
  while (!/submitted Slurm job/.test(stderr) && Date.now() < deadline) await sleep(100);
  child.kill('SIGINT');
  assert.equal(await exited, 130);
  const jobId = /submitted Slurm job (\d+)/.exec(stderr)?.[1];
  assert.ok(jobId, stderr);
  assert.match(stderr, new RegExp(`cancelled batch jobs ${jobId}`));
  let state = '';
  for (let i = 0; i < 50 && state !== 'CANCELLED'; i++) {
    state = parseScontrolJob(spawnSync('scontrol', ['show', 'job', '-o', jobId], { encoding: 'utf8' }).stdout).state;
    if (state !== 'CANCELLED') await sleep(100);
  }
  assert.equal(state, 'CANCELLED');
});
