import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot, sharedData } from '../helpers/paths.js';

const bhive = path.join(repoRoot(), 'bin', 'bhive.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-external-failure-'));

/**
 * A fake worker: it replies to hello like a real worker and to every later request with an
 * error. With the argument 'hang', it never replies.
 */
const fakeWorker = path.join(dir, 'fake-worker.cjs');
writeFileSync(
  fakeWorker,
  `
const mode = process.argv[2];
let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const newline = buffer.indexOf(10);
    if (newline < 0) return;
    const message = JSON.parse(buffer.subarray(0, newline).toString());
    const size = (message.payloads || []).reduce((sum, p) => sum + 4 * p.shape.reduce((a, b) => a * b, 1), 0);
    if (buffer.length < newline + 1 + size) return;
    buffer = buffer.subarray(newline + 1 + size);
    if (mode === 'hang') continue;
    const reply = message.type === 'hello'
      ? { type: 'ready', protocol: 1, backend: 'fake 1.0', numParameters: 7 }
      : { type: 'error', message: 'fake worker cannot ' + message.type };
    process.stdout.write(JSON.stringify(reply) + '\\n');
  }
});
setInterval(() => {}, 1000);
`,
);

/** Write a copy of the NANOX config whose external model runs `command`, and return its path. */
function configFor(name: string, command: string[], timeoutSeconds: number): string {
  const file = path.join(dir, `${name}.yml`);
  const text = readFileSync(path.join(repoRoot(), 'configs', 'nanox_deepjet.yml'), 'utf8').replace(/^\s*data_dir:.*$/m, `  data_dir: ${sharedData('jets-nanox')}`);
  writeFileSync(file, `${text}\nmodel_options:\n  external: { command: ${JSON.stringify(command)}, timeoutSeconds: ${timeoutSeconds} }\n`);
  return file;
}

/** Process ids of live processes whose command line mentions the fake worker. */
function fakeWorkersRunning(): string[] {
  const result = spawnSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return result.stdout.split('\n').filter((line) => line.includes(fakeWorker) && !/^\s*\d+\s+Z/.test(line));
}

function train(config: string): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, [bhive, 'run', 'Training', '--config', config, '--model', 'external', '--epochs', '1', '--output-dir', path.join(dir, 'out'), '--quiet'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
}

test('worker error ends bhive and the worker', () => {
  const result = train(configFor('error', [process.execPath, fakeWorker], 30));
  assert.equal(result.signal, null, 'bhive did not exit by itself');
  assert.equal(result.status, 1, String(result.stderr));
  assert.match(String(result.stderr), /fake worker cannot train_begin/);
  assert.deepEqual(fakeWorkersRunning(), []);
});

test('timeout ends a worker behind a wrapper', () => {
  const result = train(configFor('wrapped', ['sh', '-c', `"${process.execPath}" "${fakeWorker}" hang; echo done`], 2));
  assert.equal(result.signal, null, 'bhive did not exit by itself');
  assert.equal(result.status, 1, String(result.stderr));
  assert.match(String(result.stderr), /timed out after 2 s/);
  assert.deepEqual(fakeWorkersRunning(), []);
});
