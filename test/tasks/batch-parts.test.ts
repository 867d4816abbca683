import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { BatchExecutor, type CommandRunner } from '../../src/tasks/executors/batch-executor.js';
import { DEFAULT_RESOURCES } from '../../src/tasks/executors/batch-job.js';
import { htcondorSystem } from '../../src/tasks/executors/htcondor.js';
import { buildTaskTree } from '../../src/tasks/graph.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { MemoryReporter } from '../../src/tasks/reporter.js';
import type { TaskInstance } from '../../src/tasks/task.js';
import { repoRoot } from '../helpers/paths.js';

// The executor's handling of tasks split into parts, with HTCondor command output given in
// the formats of condor_submit -terse and condor_history -af (see htcondor.test.ts).

const PART_NAMES = ['part-00000', 'part-00001', 'part-00002'];

/** Builds a task with the given parts, each complete once `<output>.parts/<name>` exists. */
function splitTask(outputRoot: string, partNames = PART_NAMES): TaskInstance {
  const config = parseConfig(readFileSync(path.join(repoRoot(), 'configs', 'nanox_deepjet.yml'), 'utf8'), '/tmp/nanox.yml');
  const registry = new TaskRegistry();
  registry.register({
    name: 'Split',
    description: 'three parts, then a merge',
    parameters: [],
    configKeys: [],
    requires: () => [],
    run: async () => {},
    parts: {
      list: (instance) => partNames.map((name) => ({ name, complete: () => existsSync(path.join(`${instance.outputDir}.parts`, name)) })),
      run: async () => {},
    },
  });
  return buildTaskTree(registry, 'Split', { config, values: {}, outputRoot });
}

/**
 * Simulates HTCondor: every cluster leaves the queue at once. A job of a part in `failing`
 * exits with 1; any other job exits with 0 and creates its part (or the task output).
 */
function fakeCondor(instance: TaskInstance, failing: Set<string>): { run: CommandRunner; submitted: string[] } {
  const submitted: string[] = [];
  const unitOf = new Map<string, string>();
  let nextCluster = 200;
  const run: CommandRunner = (command, args) => {
    if (command === 'condor_submit') {
      const cluster = String(nextCluster++);
      const unit = path.basename(path.dirname(args[1]));
      unitOf.set(cluster, unit);
      submitted.push(unit);
      return `${cluster}.0 - ${cluster}.0\n`;
    }
    if (command === 'condor_history') {
      const unit = unitOf.get(args[0]) ?? '';
      if (failing.has(unit)) return '4 1\n';
      const target = unit.startsWith('part-') ? path.join(`${instance.outputDir}.parts`, unit) : instance.outputDir;
      mkdirSync(target, { recursive: true });
      return '4 0\n';
    }
    return '';
  };
  return { run, submitted };
}

function executorFor(run: CommandRunner, reporter: MemoryReporter, retries: number): BatchExecutor {
  return new BatchExecutor({
    system: htcondorSystem(),
    installation: { node: '/usr/bin/node', bhive: '/opt/bhive/bin/bhive.js', workingDir: '/work' },
    argv: ['run', 'Split', '--config', '/tmp/nanox.yml'],
    reporter,
    resources: () => DEFAULT_RESOURCES,
    retries,
    retryDelaySeconds: 0.01,
    pollSeconds: 0.01,
    run,
  });
}

test('parts run before the merge job', async () => {
  const instance = splitTask(mkdtempSync(path.join(os.tmpdir(), 'bhive-parts-')));
  mkdirSync(path.join(`${instance.outputDir}.parts`, 'part-00001'), { recursive: true });
  const { run, submitted } = fakeCondor(instance, new Set());
  const reporter = new MemoryReporter();
  assert.equal(await executorFor(run, reporter, 2).execute(instance), 'ran');
  // The finished part gets no job, and the merge job (the task folder) comes last. The
  // part jobs are submitted concurrently, so their order may vary.
  assert.equal(submitted.length, 3);
  assert.deepEqual(submitted.slice(0, 2).sort(), ['part-00000', 'part-00002']);
  assert.equal(submitted[2], path.basename(`${instance.outputDir}.jobs`));
  assert.ok(reporter.lines.includes('Split: 2 part(s) to build as separate jobs'), reporter.lines.join('\n'));
  const script = readFileSync(path.join(`${instance.outputDir}.jobs`, 'part-00002', 'run.sh'), 'utf8');
  assert.match(script, /bhive\.js _build-part \S+ part-00002 run Split --config \/tmp\/nanox\.yml/);
  assert.match(readFileSync(path.join(`${instance.outputDir}.jobs`, 'part-00002', 'submit.sub'), 'utf8'), /batch_name = bhive-Split-part-00002/);
});

test('failed part stops the merge', async () => {
  const instance = splitTask(mkdtempSync(path.join(os.tmpdir(), 'bhive-parts-')));
  const first = fakeCondor(instance, new Set(['part-00001']));
  await assert.rejects(
    executorFor(first.run, new MemoryReporter(), 1).execute(instance),
    /1 of 3 part job\(s\) failed after their retries, so the merge job was not submitted:\npart-00001: Split part-00001 failed in 2 HTCondor job\(s\)/,
  );
  assert.deepEqual(first.submitted.sort(), ['part-00000', 'part-00001', 'part-00001', 'part-00002']);

  // A new bhive command submits only the missing part, with a fresh retry budget.
  const second = fakeCondor(instance, new Set());
  assert.equal(await executorFor(second.run, new MemoryReporter(), 1).execute(instance), 'ran');
  assert.deepEqual(second.submitted, ['part-00001', path.basename(`${instance.outputDir}.jobs`)]);
  const record = JSON.parse(readFileSync(path.join(`${instance.outputDir}.jobs`, 'part-00001', 'job.json'), 'utf8')) as { jobIds: string[]; attempts: number };
  assert.equal(record.attempts, 3);
});

test('single part needs no part job', async () => {
  const instance = splitTask(mkdtempSync(path.join(os.tmpdir(), 'bhive-parts-')), ['part-00000']);
  const { run, submitted } = fakeCondor(instance, new Set());
  const reporter = new MemoryReporter();
  assert.equal(await executorFor(run, reporter, 0).execute(instance), 'ran');
  assert.deepEqual(submitted, [path.basename(`${instance.outputDir}.jobs`)]);
  assert.ok(!reporter.lines.some((line) => /part\(s\) to build/.test(line)), reporter.lines.join('\n'));
});
