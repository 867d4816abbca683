import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { test } from 'node:test';
import { compressionSetting, compressObject } from '../../src/root/writer/compression.js';
import { describeClusters } from '../../src/root/writer/tree-objects.js';

test('object above 16 MiB becomes two blocks', () => {
  const data = new Uint8Array(0xffffff + 1000);
  for (let i = 0; i < data.length; i++) data[i] = i % 251;
  const stored = Buffer.from(compressObject(data, { algorithm: 'zlib', level: 1 }));
  const firstSize = stored.readUIntLE(3, 3);
  assert.equal(stored.toString('latin1', 0, 2), 'ZL');
  assert.equal(stored.readUIntLE(6, 3), 0xffffff);
  const second = 9 + firstSize;
  assert.equal(stored.toString('latin1', second, second + 2), 'ZL');
  assert.equal(stored.readUIntLE(second + 6, 3), 1000);
  assert.equal(second + 9 + stored.readUIntLE(second + 3, 3), stored.length);
  const inflated = Buffer.concat([inflateSync(stored.subarray(9, 9 + firstSize)), inflateSync(stored.subarray(second + 9))]);
  assert.ok(inflated.equals(Buffer.from(data)));
});

test('incompressible object stays as it is', () => {
  const data = new Uint8Array(randomBytes(4096));
  assert.equal(compressObject(data, { algorithm: 'zlib', level: 9 }), data);
  assert.equal(compressObject(new Uint8Array(100), { algorithm: 'none' }).length, 100);
});

test('fCompress setting', () => {
  assert.equal(compressionSetting({ algorithm: 'zlib', level: 1 }), 101);
  assert.equal(compressionSetting({ algorithm: 'zlib', level: 9 }), 109);
  assert.equal(compressionSetting({ algorithm: 'none' }), 0);
});

test('cluster ranges from chunk sizes', () => {
  assert.deepEqual(describeClusters([100, 100, 40]), { autoFlush: 100, rangeEnds: [], rangeSizes: [] });
  assert.deepEqual(describeClusters([3, 3, 5, 2]), { autoFlush: 5, rangeEnds: [5], rangeSizes: [3] });
  assert.deepEqual(describeClusters([10, 20, 20, 10]), { autoFlush: 20, rangeEnds: [9], rangeSizes: [10] });
  assert.deepEqual(describeClusters([10, 20, 10, 10]), { autoFlush: 10, rangeEnds: [9, 29], rangeSizes: [10, 20] });
  assert.equal(describeClusters([]).autoFlush, -30_000_000);
});
