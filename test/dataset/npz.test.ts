import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { decodeNpz, encodeNpz, type NdArray } from '../../src/dataset/index.js';
import { runPython } from './numpy-python.js';

function sampleArrays(): Array<[string, NdArray]> {
  const candidates = new Float32Array(3 * 25 * 16);
  for (let i = 0; i < candidates.length; i++) candidates[i] = (i % 97) * 0.25 - 7;
  return [
    ['cpf', { dtype: '<f4', shape: [3, 25, 16], data: candidates }],
    ['label', { dtype: '<i4', shape: [3], data: new Int32Array([2, -1, 5]) }],
    ['weight', { dtype: '<f8', shape: [3], data: new Float64Array([0.125, 1, Math.PI]) }],
  ];
}

const READ_SCRIPT = `
import json, sys
import numpy as np
with np.load(sys.argv[1]) as f:
    out = {}
    for name in f.files:
        a = f[name]
        out[name] = {"dtype": a.dtype.str, "shape": list(a.shape), "c": bool(a.flags.c_contiguous),
                     "values": a.ravel().tolist()}
print(json.dumps(out))
`;

for (const compress of [false, true]) {
  test(`numpy loads our npz (${compress ? 'deflated' : 'stored'})`, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bhive-npz-'));
    const file = path.join(dir, 'chunk.npz');
    const arrays = sampleArrays();
    await writeFile(file, encodeNpz(arrays, compress));
    const loaded = JSON.parse(runPython(READ_SCRIPT, [file])) as Record<string, { dtype: string; shape: number[]; c: boolean; values: number[] }>;
    assert.deepEqual(Object.keys(loaded), ['cpf', 'label', 'weight']);
    for (const [name, array] of arrays) {
      assert.equal(loaded[name].dtype, array.dtype, name);
      assert.deepEqual(loaded[name].shape, array.shape, name);
      assert.equal(loaded[name].c, true, name);
      assert.deepEqual(loaded[name].values, [...array.data], name);
    }
  });
}

const WRITE_SCRIPT = `
import sys
import numpy as np
cpf = (np.arange(2 * 25 * 16, dtype=np.float32) * 0.5 - 3).reshape(2, 25, 16)
label = np.array([4, -1], dtype=np.int32)
pt = np.array([20.5, 1400.25], dtype=np.float64)
np.savez(sys.argv[1], cpf=cpf, label=label, pt=pt)
np.savez_compressed(sys.argv[2], cpf=cpf, label=label, pt=pt)
`;

test('we load numpy savez output', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bhive-npz-'));
  const stored = path.join(dir, 'stored.npz');
  const compressed = path.join(dir, 'compressed.npz');
  runPython(WRITE_SCRIPT, [stored, compressed]);
  for (const file of [stored, compressed]) {
    const arrays = decodeNpz(await readFile(file), file);
    const cpf = arrays.get('cpf');
    assert.ok(cpf, file);
    assert.equal(cpf.dtype, '<f4');
    assert.deepEqual(cpf.shape, [2, 25, 16]);
    for (let i = 0; i < cpf.data.length; i++) assert.equal(cpf.data[i], i * 0.5 - 3);
    assert.deepEqual(arrays.get('label')?.data, new Int32Array([4, -1]));
    assert.deepEqual(arrays.get('pt')?.data, new Float64Array([20.5, 1400.25]));
  }
});

test('decodeNpz names the file', () => {
  assert.throws(() => decodeNpz(new Uint8Array(100), '/data/chunk_00003.npz'), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.context.file, '/data/chunk_00003.npz');
    assert.match(error.message, /invalid \.npz file \/data\/chunk_00003\.npz/);
    return true;
  });
});
