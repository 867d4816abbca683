import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { TaskError } from '../../src/errors.js';
import { buildTaskTree } from '../../src/tasks/graph.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { MemoryReporter } from '../../src/tasks/reporter.js';
import { runTaskTree } from '../../src/tasks/runner.js';
import type { TaskDefinition, TaskEnvironment } from '../../src/tasks/task.js';
import { repoRoot } from '../helpers/paths.js';

const config = parseConfig(readFileSync(path.join(repoRoot(), 'configs', 'nanox_deepjet.yml'), 'utf8'), '/tmp/nanox.yml');

interface Counters {
  upstream: number;
  downstream: number;
}

function makeRegistry(counters: Counters, failDownstream = false): TaskRegistry {
  const upstream: TaskDefinition = {
    name: 'Upstream',
    description: 'writes a number',
    parameters: [
      { name: 'seed', description: 'seed', type: 'integer', default: 1, significant: true, min: 0 },
      { name: 'workers', description: 'parallelism', type: 'integer', default: 1, significant: false },
    ],
    configKeys: ['tree'],
    requires: () => [],
    async run(context) {
      counters.upstream++;
      await writeFile(path.join(context.outputDir, 'value.txt'), String(context.parameters.seed));
    },
  };
  const downstream: TaskDefinition = {
    name: 'Downstream',
    description: 'reads the number',
    parameters: [{ name: 'learning_rate', description: 'rate', type: 'number', default: 0.1, significant: true }],
    configKeys: ['discriminants'],
    requires: () => [{ key: 'up', task: 'Upstream' }],
    tag: (p) => `lr${p.learning_rate}`,
    async run(context) {
      counters.downstream++;
      const value = readFileSync(path.join(context.inputs.up, 'value.txt'), 'utf8');
      await writeFile(path.join(context.outputDir, 'partial.txt'), value);
      if (failDownstream) throw new Error('simulated failure');
      await writeFile(path.join(context.outputDir, 'result.txt'), `${value}:${String(context.parameters.learning_rate)}`);
    },
  };
  const registry = new TaskRegistry();
  registry.register(upstream);
  registry.register(downstream);
  return registry;
}

function environment(outputRoot: string, values: TaskEnvironment['values'] = {}): TaskEnvironment {
  return { config, values, outputRoot };
}

test('significant parameter changes the output directory', () => {
  const registry = makeRegistry({ upstream: 0, downstream: 0 });
  const root = mkdtempSync(path.join(os.tmpdir(), 'bhive-engine-'));
  const a = buildTaskTree(registry, 'Downstream', environment(root, { learning_rate: '0.1' }));
  const b = buildTaskTree(registry, 'Downstream', environment(root, { learning_rate: '0.01' }));
  assert.notEqual(a.outputDir, b.outputDir);
  assert.equal(a.requirements[0].instance.outputDir, b.requirements[0].instance.outputDir);
  assert.match(path.basename(a.outputDir), /^lr0\.1-[0-9a-f]{12}$/);
});

test('insignificant parameter keeps the output directory', () => {
  const registry = makeRegistry({ upstream: 0, downstream: 0 });
  const root = mkdtempSync(path.join(os.tmpdir(), 'bhive-engine-'));
  const a = buildTaskTree(registry, 'Downstream', environment(root, { workers: '1' }));
  const b = buildTaskTree(registry, 'Downstream', environment(root, { workers: '4' }));
  assert.equal(a.outputDir, b.outputDir);
});

test('upstream change propagates to downstream hash', () => {
  const registry = makeRegistry({ upstream: 0, downstream: 0 });
  const root = mkdtempSync(path.join(os.tmpdir(), 'bhive-engine-'));
  const a = buildTaskTree(registry, 'Downstream', environment(root, { seed: '1' }));
  const b = buildTaskTree(registry, 'Downstream', environment(root, { seed: '2' }));
  assert.notEqual(a.outputDir, b.outputDir);
});

test('completed tasks are reused on the second run', async () => {
  const counters = { upstream: 0, downstream: 0 };
  const registry = makeRegistry(counters);
  const root = mkdtempSync(path.join(os.tmpdir(), 'bhive-engine-'));
  const env = environment(root);
  const first = await runTaskTree(buildTaskTree(registry, 'Downstream', env), env, { reporter: new MemoryReporter() });
  assert.equal(first.ran.length, 2);
  const second = await runTaskTree(buildTaskTree(registry, 'Downstream', env), env, { reporter: new MemoryReporter() });
  assert.equal(second.ran.length, 0);
  assert.equal(second.reused.length, 2);
  assert.deepEqual(counters, { upstream: 1, downstream: 1 });
  const tree = buildTaskTree(registry, 'Downstream', env);
  assert.equal(readFileSync(path.join(tree.outputDir, 'result.txt'), 'utf8'), '1:0.1');
  const provenance = JSON.parse(readFileSync(path.join(tree.outputDir, 'provenance.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(provenance.task, 'Downstream');
  assert.deepEqual(provenance.parameters, { learning_rate: 0.1 });
});

test('failed task leaves no complete-looking output', async () => {
  const registry = makeRegistry({ upstream: 0, downstream: 0 }, true);
  const root = mkdtempSync(path.join(os.tmpdir(), 'bhive-engine-'));
  const env = environment(root);
  const tree = buildTaskTree(registry, 'Downstream', env);
  await assert.rejects(runTaskTree(tree, env, { reporter: new MemoryReporter() }), /simulated failure/);
  assert.equal(existsSync(tree.outputDir), false);
  assert.equal(existsSync(tree.requirements[0].instance.outputDir), true);
  const siblings = readdirSync(path.dirname(tree.outputDir));
  assert.deepEqual(siblings, [], `leftover files: ${siblings.join(', ')}`);
});

test('lock held by a live process is reported', async () => {
  const registry = makeRegistry({ upstream: 0, downstream: 0 });
  const root = mkdtempSync(path.join(os.tmpdir(), 'bhive-engine-'));
  const env = environment(root);
  const tree = buildTaskTree(registry, 'Upstream', env);
  const parent = path.dirname(tree.outputDir);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(parent, { recursive: true });
  // PID 1 always exists, so the lock looks held by another live process.
  writeFileSync(`${tree.outputDir}.lock`, '1\n');
  await assert.rejects(runTaskTree(tree, env, { reporter: new MemoryReporter(), waitForLocks: false }), (error: unknown) => {
    assert.ok(error instanceof TaskError);
    assert.match(error.message, /pid 1/);
    return true;
  });
});

test('stale lock of a dead process is taken over', async () => {
  const registry = makeRegistry({ upstream: 0, downstream: 0 });
  const root = mkdtempSync(path.join(os.tmpdir(), 'bhive-engine-'));
  const env = environment(root);
  const tree = buildTaskTree(registry, 'Upstream', env);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(path.dirname(tree.outputDir), { recursive: true });
  writeFileSync(`${tree.outputDir}.lock`, '999999999\n');
  const summary = await runTaskTree(tree, env, { reporter: new MemoryReporter() });
  assert.equal(summary.ran.length, 1);
  assert.equal(existsSync(`${tree.outputDir}.lock`), false);
});

test('unknown parameter is rejected with a suggestion', () => {
  const registry = makeRegistry({ upstream: 0, downstream: 0 });
  const root = mkdtempSync(path.join(os.tmpdir(), 'bhive-engine-'));
  assert.throws(() => buildTaskTree(registry, 'Downstream', environment(root, { learning_rat: '1' })), (error: unknown) => {
    assert.ok(error instanceof TaskError);
    assert.match(error.message, /parameter 'learning_rat'/);
    assert.match(error.message, /Did you mean 'learning_rate'/);
    return true;
  });
});

test('invalid parameter value is rejected', () => {
  const registry = makeRegistry({ upstream: 0, downstream: 0 });
  const root = mkdtempSync(path.join(os.tmpdir(), 'bhive-engine-'));
  assert.throws(() => buildTaskTree(registry, 'Downstream', environment(root, { seed: 'abc' })), /invalid value 'abc' for parameter 'seed'/);
});

test('unknown task name suggests the closest', () => {
  const registry = makeRegistry({ upstream: 0, downstream: 0 });
  assert.throws(() => registry.get('Downstrem'), /Did you mean 'Downstream'/);
});

test('user value forced away everywhere is rejected', () => {
  const counters = { upstream: 0, downstream: 0 };
  const registry = makeRegistry(counters);
  const forcing: TaskDefinition = {
    name: 'Forcing',
    description: 'forces the seed of its requirement',
    parameters: [{ name: 'upstream_seed', description: 'seed given to Upstream', type: 'integer', default: 5, significant: true }],
    configKeys: [],
    requires: (p) => [{ key: 'up', task: 'Upstream', overrides: { seed: p.upstream_seed } }],
    run: async () => {},
  };
  registry.register(forcing);
  const root = mkdtempSync(path.join(os.tmpdir(), 'bhive-engine-'));
  assert.throws(() => buildTaskTree(registry, 'Forcing', environment(root, { seed: '3' })), (error: unknown) => {
    assert.ok(error instanceof TaskError);
    assert.match(error.message, /parameter 'seed' has no effect on Forcing/);
    assert.match(error.message, /Did you mean 'upstream_seed'/);
    return true;
  });
});

test('config parameter errors name the config key', () => {
  const registry = makeRegistry({ upstream: 0, downstream: 0 });
  const root = mkdtempSync(path.join(os.tmpdir(), 'bhive-engine-'));
  const env = { ...environment(root, { seed: -3 }), origins: { seed: 'set in /tmp/nanox.yml, key parameters.seed' } };
  assert.throws(() => buildTaskTree(registry, 'Downstream', env), /invalid value '-3' for parameter 'seed' \(set in \/tmp\/nanox.yml, key parameters.seed\)/);
});
