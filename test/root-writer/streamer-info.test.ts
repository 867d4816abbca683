import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeTree } from '../../src/root/writer/index.js';
import { classCheckSum, classLayouts, withBaseClasses } from '../../src/root/writer/streamer-info.js';
import { sharedData } from '../helpers/paths.js';
import { readTreeObject, type JsrootStreamerElement, type JsrootStreamerInfo } from './jsroot-read.js';

/** Streamer infos of files written by ROOT 6: TTree 20 and TBranch 13 in one, TLeafD, TLeafL and TLeafB in the other. */
async function rootStreamerInfos(): Promise<JsrootStreamerInfo[]> {
  const hzz = await readTreeObject(sharedData('reader', 'uproot-HZZ-zstd.root'), 'events');
  const sample = await readTreeObject(sharedData('reader', 'uproot-sample-6.20.04-zlib.root'), 'sample');
  return [...hzz.streamerInfos, ...sample.streamerInfos];
}

function describeElement(element: JsrootStreamerElement): string {
  const count = element.fCountName === undefined ? '' : ` count=${element.fCountName}/${element.fCountClass}/${element.fCountVersion}`;
  const base = element._typename === 'TStreamerBase' ? ` baseVersion=${element.fBaseVersion} baseCheckSum=${element.fMaxIndex[1]}` : '';
  return `${element._typename} ${element.fName} type=${element.fType} size=${element.fSize} typeName=${element.fTypeName} title=${JSON.stringify(element.fTitle)}${count}${base}`;
}

function findInfo(infos: JsrootStreamerInfo[], name: string, version: number): JsrootStreamerInfo {
  const info = infos.find((i) => i.fName === name && i.fClassVersion === version);
  assert.ok(info !== undefined, `no streamer info for ${name} version ${version}`);
  return info;
}

let dir: string;
let rootInfos: JsrootStreamerInfo[];
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bhive-streamer-info-'));
  rootInfos = await rootStreamerInfos();
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('streamer info', () => {
  test('checksums equal those ROOT wrote', () => {
    for (const layout of classLayouts.values()) {
      const info = findInfo(rootInfos, layout.name, layout.version);
      assert.equal(classCheckSum(layout.name), info.fCheckSum, layout.name);
    }
  });

  test('written records equal those of ROOT 6', async () => {
    const file = path.join(dir, 'all-types.root');
    await writeTree(
      file,
      't',
      [
        { name: 'n', type: 'int32' },
        { name: 'f', type: 'float32', counter: 'n' },
        { name: 'd', type: 'float64' },
        { name: 'l', type: 'int64' },
        { name: 'o', type: 'bool' },
        { name: 'b', type: 'uint8' },
      ],
      { n: Int32Array.of(1), f: Float32Array.of(1), d: Float64Array.of(1), l: BigInt64Array.of(1n), o: Uint8Array.of(1), b: Uint8Array.of(1) },
    );
    const written = (await readTreeObject(file, 't')).streamerInfos;
    const expectedClasses = withBaseClasses(['TTree', 'TBranch', 'ROOT::TIOFeatures', 'TLeafI', 'TLeafF', 'TLeafD', 'TLeafL', 'TLeafO', 'TLeafB']);
    assert.deepEqual(written.map((i) => i.fName).sort(), [...expectedClasses].sort());
    for (const info of written) {
      const reference = findInfo(rootInfos, info.fName, info.fClassVersion);
      assert.equal(info.fCheckSum, reference.fCheckSum, `checksum of ${info.fName}`);
      assert.deepEqual(
        (info.fElements?.arr ?? []).map(describeElement),
        (reference.fElements?.arr ?? []).map(describeElement),
        `elements of ${info.fName}`,
      );
    }
  });
});
