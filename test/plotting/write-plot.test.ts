import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { writeFileAtomic } from '../../src/plotting/atomic-write.js';
import { writePlot } from '../../src/plotting/write-plot.js';
import { findXmlProblems, PNG_SIGNATURE, pngSize } from './well-formed-xml.js';

test('plot written as SVG and PNG', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-plot-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));

  const files = writePlot(
    path.join(dir, 'loss'),
    { xAxis: { title: 'epoch' }, yAxis: { title: 'loss' }, series: [{ label: 'training', x: [1, 2], y: [1, 0.5] }], width: 400, height: 300 },
    { pngWidth: 400 },
  );
  assert.equal(files.svgPath, path.join(dir, 'loss.svg'));
  assert.equal(files.pngPath, path.join(dir, 'loss.png'));
  assert.equal(files.dataPath, path.join(dir, 'loss.json'));
  assert.deepEqual(readdirSync(dir).sort(), ['loss.json', 'loss.png', 'loss.svg']);
  const data = JSON.parse(readFileSync(files.dataPath, 'utf8')) as { series: Array<{ label: string; x: number[]; y: number[] }> };
  assert.deepEqual(data.series, [{ label: 'training', x: [1, 2], y: [1, 0.5] }]);
  assert.deepEqual(findXmlProblems(readFileSync(files.svgPath, 'utf8')), []);
  const png = readFileSync(files.pngPath);
  assert.deepEqual(png.subarray(0, 8), Buffer.from(PNG_SIGNATURE));
  assert.deepEqual(pngSize(png), { width: 400, height: 300 });
});

test('atomic write replaces a file and leaves no temporary', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-atomic-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'table.csv');
  writeFileAtomic(file, 'old\n');
  writeFileAtomic(file, 'new\n');
  assert.equal(readFileSync(file, 'utf8'), 'new\n');
  assert.deepEqual(readdirSync(dir), ['table.csv']);
});

test('failed atomic write leaves no temporary', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-atomic-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // renaming a file over a directory fails after the temporary file was written
  const target = path.join(dir, 'occupied');
  mkdirSync(target);
  assert.throws(() => writeFileAtomic(target, 'data'));
  assert.deepEqual(readdirSync(dir), ['occupied']);
});
