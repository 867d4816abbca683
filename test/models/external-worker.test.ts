import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ExternalClassifier } from '../../src/models/external/external-classifier.js';
import { externalDefinition } from '../../src/models/external/definitions.js';
import { WorkerError } from '../../src/models/external/worker-process.js';
import { smallLayout, syntheticJets } from './synthetic-jets.js';

/**
 * A fake worker in Node. Its first argument selects the behaviour: `ok` replies to every
 * request like a real worker (uniform predictions), `crash` writes to stderr and exits 3, `hang`
 * reads requests and never replies, `garbage` replies with text, `error` replies to hello with
 * an error message, `old` replies with protocol 0, `die-on-predict` exits during predict,
 * `sticky` replies like `ok` but stays alive after its stdin closes.
 */
const fakeWorkerSource = `
const mode = process.argv[2];
let buffer = Buffer.alloc(0);
function reply(message, payloads = []) {
  if (payloads.length > 0) message.payloads = payloads.map(([name, shape]) => ({ name, dtype: 'float32', shape }));
  process.stdout.write(JSON.stringify(message) + '\\n');
  for (const [, shape, values] of payloads) process.stdout.write(Buffer.from(values.buffer));
}
function handle(message) {
  if (mode === 'crash') { process.stderr.write('fake worker: out of cheese\\n'); process.exit(3); }
  if (mode === 'hang') { process.stderr.write('fake worker: thinking\\n'); return; }
  if (mode === 'garbage') { process.stdout.write('hello, this is not JSON\\n'); return; }
  if (mode === 'error') { reply({ type: 'error', message: 'unknown architecture' }); return; }
  if (message.type === 'hello') { reply({ type: 'ready', protocol: mode === 'old' ? 0 : 1, backend: 'fake 1.0', numParameters: 7 }); return; }
  if (message.type === 'predict') {
    if (mode === 'die-on-predict') { process.stderr.write('fake worker: segfault in predict\\n'); process.exit(139); }
    const jets = message.payloads[0].shape[0];
    const classes = ${JSON.stringify(smallLayout().classes.length)};
    const values = new Float32Array(jets * classes).fill(Math.log(1 / classes));
    reply({ type: 'predictions' }, [['logProbabilities', [jets, classes], values]]);
    return;
  }
  if (message.type === 'shutdown') { reply({ type: 'bye' }); process.exit(0); }
  reply({ type: 'error', message: 'unexpected ' + message.type });
}
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const newline = buffer.indexOf(10);
    if (newline < 0) return;
    const message = JSON.parse(buffer.subarray(0, newline).toString());
    const size = (message.payloads || []).reduce((sum, p) => sum + 4 * p.shape.reduce((a, b) => a * b, 1), 0);
    if (buffer.length < newline + 1 + size) return;
    buffer = buffer.subarray(newline + 1 + size);
    handle(message);
  }
});
// 'sticky' outlives the end of its input and ignores SIGTERM, so only bhive's SIGKILL stops it.
if (mode === 'sticky') {
  process.on('SIGTERM', () => {});
  setInterval(() => {}, 1000);
} else {
  process.stdin.on('end', () => process.exit(0));
}
`;

const scriptDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-fake-worker-'));
const fakeWorker = path.join(scriptDir, 'fake-worker.cjs');
writeFileSync(fakeWorker, fakeWorkerSource);
const layout = smallLayout();

function createFake(mode: string, timeoutSeconds = 20): Promise<ExternalClassifier> {
  return ExternalClassifier.create(externalDefinition, layout, { command: [process.execPath, fakeWorker, mode], timeoutSeconds });
}

/** True when `ps` lists a live (not zombie) process with id `pid`. */
function isRunning(pid: number): boolean {
  const result = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
  const state = result.stdout.trim();
  return state.length > 0 && !state.startsWith('Z');
}

/** Return the ids of the live processes whose command line contains the fake worker script. */
function fakeWorkerPids(): number[] {
  const result = spawnSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return result.stdout
    .split('\n')
    .filter((line) => line.includes(fakeWorker) && !/^\s*\d+\s+Z/.test(line))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

async function waitUntilGone(pid: number, seconds = 5): Promise<boolean> {
  for (let i = 0; i < seconds * 20; i++) {
    if (!isRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

test('external worker crash reports code and stderr', async () => {
  await assert.rejects(createFake('crash'), (error: unknown) => {
    assert.ok(error instanceof WorkerError, String(error));
    assert.match(error.message, /exited with code 3/);
    assert.match(error.message, /out of cheese/);
    return true;
  });
  assert.deepEqual(fakeWorkerPids(), []);
});

test('external worker hang times out and is killed', async () => {
  const start = performance.now();
  await assert.rejects(createFake('hang', 1), (error: unknown) => {
    assert.ok(error instanceof WorkerError, String(error));
    assert.match(error.message, /timed out after 1 s/);
    assert.match(error.message, /thinking/);
    return true;
  });
  assert.ok(performance.now() - start < 5000, 'the timeout took more than 5 s');
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(fakeWorkerPids(), []);
});

test('external worker garbage output is a protocol error', async () => {
  await assert.rejects(createFake('garbage'), (error: unknown) => {
    assert.ok(error instanceof WorkerError, String(error));
    assert.match(error.message, /not JSON: "hello, this is not JSON"/);
    return true;
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(fakeWorkerPids(), []);
});

test('external worker error reply carries its message', async () => {
  await assert.rejects(createFake('error'), /worker request 'hello' failed: unknown architecture/);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(fakeWorkerPids(), []);
});

test('external worker protocol version mismatch', async () => {
  await assert.rejects(createFake('old'), /speaks protocol 0; bhive speaks 1/);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(fakeWorkerPids(), []);
});

test('external worker missing program', async () => {
  const options = { command: [path.join(scriptDir, 'no-such-worker')] };
  await assert.rejects(ExternalClassifier.create(externalDefinition, layout, options), /could not start the worker .*no-such-worker/);
});

test('external worker exit during predict', async () => {
  const classifier = await createFake('die-on-predict');
  const pid = classifier.workerPid;
  assert.ok(pid !== undefined);
  await assert.rejects(classifier.predictModel(syntheticJets(layout, 10, 1)), (error: unknown) => {
    assert.ok(error instanceof WorkerError, String(error));
    assert.match(error.message, /exited with code 139/);
    assert.match(error.message, /segfault in predict/);
    return true;
  });
  assert.ok(await waitUntilGone(pid));
  // Later requests fail at once with the same error instead of waiting for the timeout.
  await assert.rejects(classifier.predictModel(syntheticJets(layout, 10, 1)), /exited with code 139/);
});

test('external classifier predicts and closes', async () => {
  const classifier = await createFake('ok');
  assert.equal(classifier.describeBackend(), `external worker ${path.basename(process.execPath)} fake 1.0`);
  assert.equal(classifier.countParameters(), 7);
  const probabilities = await classifier.predictModel(syntheticJets(layout, 5000, 2));
  assert.equal(probabilities.length, 5000 * layout.classes.length);
  assert.ok(Math.abs(probabilities[0] - 1 / layout.classes.length) < 1e-6, `probability ${probabilities[0]}`);
  const pid = classifier.workerPid;
  assert.ok(pid !== undefined);
  await classifier.close();
  assert.ok(await waitUntilGone(pid));
});

test('external classifier dispose kills worker', async () => {
  const classifier = await createFake('sticky');
  const pid = classifier.workerPid;
  assert.ok(pid !== undefined);
  assert.ok(isRunning(pid));
  classifier.dispose();
  assert.ok(await waitUntilGone(pid), `worker ${pid} survived dispose`);
});

test('external worker killed when bhive gets SIGTERM', async () => {
  // A separate Node process starts a worker, prints its pid and waits. SIGTERM must end both.
  const thisModule = fileURLToPath(import.meta.url);
  const classifierModule = path.resolve(path.dirname(thisModule), '../../src/models/external/external-classifier.js');
  const definitionsModule = path.resolve(path.dirname(thisModule), '../../src/models/external/definitions.js');
  const parentScript = path.join(scriptDir, 'parent.mjs');
  writeFileSync(
    parentScript,
    `import { ExternalClassifier } from ${JSON.stringify(classifierModule)};
import { externalDefinition } from ${JSON.stringify(definitionsModule)};
const classifier = await ExternalClassifier.create(externalDefinition, ${JSON.stringify(layout)}, { command: [process.execPath, ${JSON.stringify(fakeWorker)}, 'sticky'] });
process.stdout.write(String(classifier.workerPid) + '\\n');
setInterval(() => {}, 1000);
`,
  );
  const parent = spawn(process.execPath, [parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  const workerPid = await new Promise<number>((resolve, reject) => {
    parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    parent.once('exit', (code) => reject(new Error(`parent exited with code ${code} before starting the worker`)));
  });
  assert.ok(isRunning(workerPid), 'the worker did not start');
  const exited = new Promise<NodeJS.Signals | null>((resolve) => parent.once('exit', (_code, signal) => resolve(signal)));
  parent.kill('SIGTERM');
  assert.equal(await exited, 'SIGTERM');
  assert.ok(await waitUntilGone(workerPid), `worker ${workerPid} survived its parent's SIGTERM`);
  assert.deepEqual(fakeWorkerPids(), []);
});
