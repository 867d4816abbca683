import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { encodeNpz } from '../../src/dataset/npz.js';
import { parseEvaluateConfig } from '../../src/evaluation/evaluate-config.js';
import { readExternalInput } from '../../src/evaluation/external-input.js';
import { InputError } from '../../src/errors.js';

const CONFIG = `name: test
input:
  labels: { column: label, values: { b: [0], light: [1] } }
  scores: { b: p_b, light: p_light }
  process: proc
processes:
  - { name: ttbar }
  - { name: qcd }
discriminants:
  BvsL: { signal: [b], background: [light] }
`;

async function writeNpz(process: number[]): Promise<string> {
  const n = process.length;
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'bhive-external-')), 'scores.npz');
  const bytes = encodeNpz(
    [
      ['label', { dtype: '<i4', shape: [n], data: Int32Array.from({ length: n }, (_, i) => i % 2) }],
      ['p_b', { dtype: '<f4', shape: [n], data: Float32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 0.8 : 0.3)) }],
      ['p_light', { dtype: '<f4', shape: [n], data: Float32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 0.2 : 0.7)) }],
      ['proc', { dtype: '<i4', shape: [n], data: Int32Array.from(process) }],
    ],
    false,
  );
  await writeFile(file, bytes);
  return file;
}

test('process column read as index', async () => {
  const file = await writeNpz([0, 1, 1, 0]);
  const input = await readExternalInput([file], parseEvaluateConfig(CONFIG, '/tmp/eval.yml'));
  assert.deepEqual(Array.from(input.processIndex ?? []), [0, 1, 1, 0]);
});

test('process value outside names rejected', async () => {
  const file = await writeNpz([0, 1, 2, 0]);
  await assert.rejects(readExternalInput([file], parseEvaluateConfig(CONFIG, '/tmp/eval.yml')), (error: unknown) => {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    assert.match(error.message, /jet 2 has process index 2 in column 'proc'/);
    assert.equal(error.context.file, file);
    return true;
  });
});
