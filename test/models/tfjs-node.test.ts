import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { resolveTfjsBackend } from '../../src/models/tfjs/backend.js';
import { findTfjsNode } from '../../src/models/tfjs/tfjs-node.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repository = path.resolve(here, '..', '..', '..');
const scratch = mkdtempSync(path.join(tmpdir(), 'bhive-tfjs-node-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Create an analysis project whose node_modules has a stand-in for @tensorflow/tfjs-node. The
 * stand-in registers a 'tensorflow' backend that runs the cpu kernels, so detection and
 * loading run for real without libtensorflow.
 */
function projectWithStandIn(): string {
  const project = path.join(scratch, 'analysis');
  const scope = path.join(project, 'node_modules', '@tensorflow');
  const standIn = path.join(scope, 'tfjs-node');
  mkdirSync(standIn, { recursive: true });
  for (const name of ['tfjs-core', 'tfjs-backend-cpu']) {
    symlinkSync(path.join(repository, 'node_modules', '@tensorflow', name), path.join(scope, name));
  }
  writeFileSync(path.join(standIn, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: '0.0.0-test', main: 'index.js' }));
  writeFileSync(
    path.join(standIn, 'index.js'),
    [
      "const tf = require('@tensorflow/tfjs-core');",
      "const { MathBackendCPU } = require('@tensorflow/tfjs-backend-cpu');",
      "tf.registerBackend('tensorflow', () => new MathBackendCPU(), 3);",
      "for (const kernel of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...kernel, backendName: 'tensorflow' });",
    ].join('\n'),
  );
  return project;
}

const project = projectWithStandIn();

function runChild(cwd: string, environment: Record<string, string> = {}): { backend: string; describe: string; sum: number } {
  const child = spawnSync(process.execPath, [path.join(here, 'tfjs-node-child.js')], {
    cwd,
    env: { ...process.env, BHIVE_TFJS_BACKEND: '', ...environment },
    encoding: 'utf8',
  });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout.trim()) as { backend: string; describe: string; sum: number };
}

test('auto backend is wasm without tfjs-node', () => {
  assert.equal(findTfjsNode(scratch), undefined);
  const result = runChild(scratch);
  assert.equal(result.backend, 'wasm');
  assert.match(result.describe, /wasm/);
  assert.ok(Math.abs(result.sum - 3) < 1e-5, `probabilities of 3 jets sum to ${result.sum}`);
});

test('auto backend finds an installed tfjs-node', () => {
  assert.equal(findTfjsNode(project), path.join(project, 'node_modules', '@tensorflow', 'tfjs-node', 'index.js'));
  const result = runChild(project);
  assert.equal(result.backend, 'tensorflow');
  assert.match(result.describe, /TensorFlow C library through .*tfjs-node/);
  assert.ok(Math.abs(result.sum - 3) < 1e-5, `probabilities of 3 jets sum to ${result.sum}`);
});

test('BHIVE_TFJS_BACKEND overrides the automatic choice', () => {
  const result = runChild(project, { BHIVE_TFJS_BACKEND: 'wasm' });
  assert.equal(result.backend, 'wasm');
});

test('tensorflow backend without tfjs-node names the package', () => {
  const previous = process.cwd();
  process.chdir(scratch);
  try {
    assert.throws(() => resolveTfjsBackend('tensorflow'), /npm install @tensorflow\/tfjs-node@4\.22\.0/);
  } finally {
    process.chdir(previous);
  }
});
