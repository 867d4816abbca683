import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'bhive.js');

test('models command lists models and backends', () => {
  const result = spawnSync(process.execPath, [bin, 'models'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^ {2}deepjet +DeepJet/m);
  assert.match(result.stdout, /^ {2}mlp +multilayer perceptron/m);
  assert.match(result.stdout, /^ {2}tfjs\/wasm +available /m);
});

test('models command rejects an unknown argument', () => {
  const result = spawnSync(process.execPath, [bin, 'models', '--verbose'], { encoding: 'utf8' });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unexpected argument '--verbose'/);
});
