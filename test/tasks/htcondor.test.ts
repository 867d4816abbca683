import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { BatchExecutor, type CommandRunner } from '../../src/tasks/executors/batch-executor.js';
import { DEFAULT_RESOURCES } from '../../src/tasks/executors/batch-job.js';
import { htcondorSystem, parseJobStatusLine, parseTerseSubmit, submitDescription } from '../../src/tasks/executors/htcondor.js';
import { buildTaskTree } from '../../src/tasks/graph.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { MemoryReporter } from '../../src/tasks/reporter.js';
import type { TaskInstance } from '../../src/tasks/task.js';
import { repoRoot } from '../helpers/paths.js';

// HTCondor is not packaged in Debian 12, so these tests check the generated submit
// description and feed the executor command output in the formats of condor_submit -terse
// and of condor_q/condor_history -af. NOTE: no real HTCondor pool has run these jobs.

test('submit description lists the resources', () => {
  const text = submitDescription('/jobs/run.sh', '/jobs', 'bhive-Training', { cpus: 2, memoryMB: 8000, gpus: 1, timeMinutes: 90 });
  const lines = text.split('\n');
  for (const expected of [
    'universe = vanilla',
    'executable = /jobs/run.sh',
    'output = /jobs/condor-$(ClusterId).out',
    'error = /jobs/condor-$(ClusterId).err',
    'log = /jobs/condor-events.log',
    'getenv = True',
    'batch_name = bhive-Training',
    'request_cpus = 2',
    'request_memory = 8000',
    'request_gpus = 1',
    '+MaxRuntime = 5400',
    'queue 1',
  ]) {
    assert.ok(lines.includes(expected), `missing line '${expected}' in:\n${text}`);
  }
  assert.ok(!submitDescription('/j/run.sh', '/j', 'x', DEFAULT_RESOURCES).includes('request_gpus'));
});

test('condor output parsing', () => {
  assert.equal(parseTerseSubmit('4711.0 - 4711.0\n'), '4711');
  assert.throws(() => parseTerseSubmit('ERROR: Failed to connect to local queue manager'), /instead of a job id/);
  assert.deepEqual(parseJobStatusLine('1 undefined\n'), { phase: 'active', state: 'IDLE', succeeded: false, exitCode: undefined });
  assert.deepEqual(parseJobStatusLine('2 undefined'), { phase: 'active', state: 'RUNNING', succeeded: false, exitCode: undefined });
  assert.deepEqual(parseJobStatusLine('4 0'), { phase: 'done', state: 'COMPLETED', succeeded: true, exitCode: 0 });
  assert.deepEqual(parseJobStatusLine('4 1'), { phase: 'done', state: 'COMPLETED', succeeded: false, exitCode: 1 });
  assert.deepEqual(parseJobStatusLine('3 undefined'), { phase: 'done', state: 'REMOVED', succeeded: false, exitCode: undefined });
  assert.equal(parseJobStatusLine('\n'), undefined);
});

function singleTask(outputRoot: string): TaskInstance {
  const config = parseConfig(readFileSync(path.join(repoRoot(), 'configs', 'nanox_deepjet.yml'), 'utf8'), '/tmp/nanox.yml');
  const registry = new TaskRegistry();
  registry.register({ name: 'Solo', description: 'nothing', parameters: [], configKeys: [], requires: () => [], run: async () => {} });
  return buildTaskTree(registry, 'Solo', { config, values: {}, outputRoot });
}

/**
 * Simulate HTCondor: each submitted cluster is idle once, running once, then leaves the
 * queue with the next exit code from `exitCodes`; a zero exit creates the task output.
 */
function fakeCondor(instance: TaskInstance, exitCodes: number[]): { run: CommandRunner; calls: string[] } {
  const calls: string[] = [];
  const queueStates = new Map<string, string[]>();
  const exits = new Map<string, number>();
  let nextCluster = 100;
  const run: CommandRunner = (command, args) => {
    calls.push(`${command} ${args.join(' ')}`);
    if (command === 'condor_submit') {
      const cluster = String(nextCluster++);
      queueStates.set(cluster, ['1 undefined', '2 undefined']);
      exits.set(cluster, exitCodes.shift() ?? 0);
      return `${cluster}.0 - ${cluster}.0\n`;
    }
    const cluster = args[0];
    if (command === 'condor_q') return `${queueStates.get(cluster)?.shift() ?? ''}\n`;
    if (command === 'condor_history') {
      const exitCode = exits.get(cluster) ?? 1;
      if (exitCode === 0) mkdirSync(instance.outputDir, { recursive: true });
      return `4 ${exitCode}\n`;
    }
    return '';
  };
  return { run, calls };
}

test('HTCondor job is polled and retried', async () => {
  const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-condor-'));
  const instance = singleTask(outputRoot);
  const { run, calls } = fakeCondor(instance, [1, 0]);
  const reporter = new MemoryReporter();
  const executor = new BatchExecutor({
    system: htcondorSystem(),
    installation: { node: '/usr/bin/node', bhive: '/opt/bhive/bin/bhive.js', workingDir: '/work' },
    argv: ['run', 'Solo', '--config', '/tmp/nanox.yml'],
    reporter,
    resources: () => DEFAULT_RESOURCES,
    retryDelaySeconds: 0.01,
    pollSeconds: 0.01,
    run,
  });
  assert.equal(await executor.execute(instance), 'ran');
  assert.deepEqual(calls.filter((call) => call.startsWith('condor_submit')).length, 2);
  assert.ok(calls.includes('condor_history 100 -af JobStatus ExitCode -limit 1'));
  assert.ok(reporter.lines.some((line) => /HTCondor job 100 ended COMPLETED \(exit code 1\)/.test(line)), reporter.lines.join('\n'));
  assert.ok(reporter.lines.some((line) => /retrying in 0\.01 s \(attempt 2 of 3\)/.test(line)));
  const folder = `${instance.outputDir}.jobs`;
  const record = JSON.parse(readFileSync(path.join(folder, 'job.json'), 'utf8')) as { jobIds: string[]; attempts: number };
  assert.deepEqual(record.jobIds, ['100', '101']);
  const script = readFileSync(path.join(folder, 'run.sh'), 'utf8');
  assert.match(script, /exec \/usr\/bin\/node \/opt\/bhive\/bin\/bhive\.js _run-instance \S+ run Solo --config \/tmp\/nanox\.yml/);
  assert.match(readFileSync(path.join(folder, 'submit.sub'), 'utf8'), /executable = .*run\.sh/);
});

test('HTCondor job failing every attempt is reported', async () => {
  const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-condor-'));
  const instance = singleTask(outputRoot);
  const { run } = fakeCondor(instance, [1, 1, 1]);
  const executor = new BatchExecutor({
    system: htcondorSystem(),
    installation: { node: 'node', bhive: 'bhive.js', workingDir: '/work' },
    argv: [],
    reporter: new MemoryReporter(),
    resources: () => DEFAULT_RESOURCES,
    retryDelaySeconds: 0.01,
    pollSeconds: 0.01,
    run,
  });
  await assert.rejects(executor.execute(instance), /Solo failed in 3 HTCondor job\(s\) \(100, 101, 102\)/);
});
