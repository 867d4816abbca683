import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { openByteSource } from '../../src/root/byte-source.js';
import { RootFile } from '../../src/root/index.js';
import { sharedData } from '../helpers/paths.js';

const HZZ = sharedData('reader', 'uproot-HZZ-zstd.root');

/** Serves one file on loopback, replying to Range requests with 206 unless `ranges` is false. */
async function serve(bytes: Uint8Array, ranges: boolean): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.range ?? '');
    requests.push(request.headers.range ?? 'none');
    if (!ranges || !range) {
      response.writeHead(200, { 'Content-Length': bytes.length });
      response.end(bytes);
      return;
    }
    const start = Number(range[1]);
    const end = Math.min(Number(range[2]), bytes.length - 1);
    response.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${bytes.length}`, 'Content-Length': end - start + 1 });
    response.end(bytes.subarray(start, end + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/HZZ.root`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('local read beyond the end', async () => {
  const source = await openByteSource(HZZ);
  await assert.rejects(source.read(source.size - 10, 20), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /the file has only \d+ bytes/);
    return true;
  });
  await source.close();
});

test('http range reading matches local', async () => {
  const server = await serve(new Uint8Array(await readFile(HZZ)), true);
  try {
    const remote = await RootFile.open(server.url);
    const local = await RootFile.open(HZZ);
    const branches = ['NJet', 'Jet_Px', 'MET_px'];
    const remoteColumns = (await (await remote.tree('events')).arrays(branches)).columns;
    const localColumns = (await (await local.tree('events')).arrays(branches)).columns;
    for (const branch of branches) assert.deepEqual(remoteColumns.get(branch), localColumns.get(branch), branch);
    assert.ok(server.requests.every((range) => range.startsWith('bytes=')), 'every request asks for a range');
    await remote.close();
    await local.close();
  } finally {
    await server.close();
  }
});

test('http server without range support', async () => {
  const server = await serve(new Uint8Array(await readFile(HZZ)), false);
  try {
    await assert.rejects(RootFile.open(server.url), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /status 200, expected 206/);
      return true;
    });
  } finally {
    await server.close();
  }
});
