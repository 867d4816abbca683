import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateSample } from '../../src/generate/generate-sample.js';
import { RootFile } from '../../src/root/index.js';
import { repoRoot, sharedData } from '../helpers/paths.js';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-generate-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

async function branchTitles(file: string): Promise<string[]> {
  const rootFile = await RootFile.open(file);
  try {
    return (await rootFile.tree('jets')).branchInfo().map((b) => b.title);
  } finally {
    await rootFile.close();
  }
}

async function readColumns(file: string, branches: string[]): Promise<Map<string, { values: ArrayLike<number>; offsets?: Int32Array }>> {
  const rootFile = await RootFile.open(file);
  try {
    const chunk = await (await rootFile.tree('jets')).arrays(branches);
    const result = new Map<string, { values: ArrayLike<number>; offsets?: Int32Array }>();
    for (const [name, column] of chunk.columns) {
      if (column.kind === 'flat') result.set(name, { values: column.values as ArrayLike<number> });
      else if (column.kind === 'jagged') result.set(name, { values: column.values as ArrayLike<number>, offsets: column.offsets });
    }
    return result;
  } finally {
    await rootFile.close();
  }
}

describe('generateSample', () => {
  const sampleDir = path.join(workDir, 'sample');

  before(async () => {
    await generateSample({ outputDir: sampleDir, numTrainFiles: 3, numTestFiles: 1, jetsPerFile: 1500, seed: 4 });
  });

  test('files follow the NANOX layout', async () => {
    assert.deepEqual(readdirSync(sampleDir).sort(), ['da_train1_1.root', 'simulated.json', 'test_1.root', 'train_1.root', 'train_2.root', 'train_3.root']);
    assert.deepEqual(await branchTitles(path.join(sampleDir, 'train_1.root')), await branchTitles(sharedData('jets-nanox', 'train_1.root')));
    assert.deepEqual(await branchTitles(path.join(sampleDir, 'da_train1_1.root')), await branchTitles(sharedData('jets-nanox', 'da_train1_1.root')));
  });

  test('same seed gives identical files', async () => {
    const again = path.join(workDir, 'again');
    await generateSample({ outputDir: again, numTrainFiles: 1, numTestFiles: 1, jetsPerFile: 1500, seed: 4 });
    assert.ok(readFileSync(path.join(again, 'train_1.root')).equals(readFileSync(path.join(sampleDir, 'train_1.root'))));
    const other = path.join(workDir, 'other');
    await generateSample({ outputDir: other, numTrainFiles: 1, numTestFiles: 1, jetsPerFile: 1500, seed: 5 });
    assert.ok(!readFileSync(path.join(other, 'train_1.root')).equals(readFileSync(path.join(sampleDir, 'train_1.root'))));
  });

  test('b jets are displaced and light jets prompt', async () => {
    const columns = await readColumns(path.join(sampleDir, 'train_1.root'), ['jetorigin_isB', 'jetorigin_isUD', 'nsv', 'cpf_trackSip2dSig', 'sv_mass']);
    const isB = columns.get('jetorigin_isB')?.values ?? [];
    const isUD = columns.get('jetorigin_isUD')?.values ?? [];
    const nsv = columns.get('nsv')?.values ?? [];
    const significance = columns.get('cpf_trackSip2dSig');
    assert.ok(significance?.offsets !== undefined);
    const stats = { b: { jets: 0, leading: 0, vertices: 0 }, light: { jets: 0, leading: 0, vertices: 0 } };
    for (let jet = 0; jet < isB.length; jet++) {
      let kind: (typeof stats)['b'];
      if (isB[jet] === 1) kind = stats.b;
      else if (isUD[jet] === 1) kind = stats.light;
      else continue;
      kind.jets++;
      kind.vertices += nsv[jet];
      // Tracks are sorted by significance, so the first is the leading one.
      kind.leading += significance.values[significance.offsets[jet]];
    }
    assert.ok(stats.b.jets > 100, JSON.stringify(stats));
    assert.ok(stats.light.jets > 100, JSON.stringify(stats));
    const leadingB = stats.b.leading / stats.b.jets;
    const leadingLight = stats.light.leading / stats.light.jets;
    assert.ok(leadingB > 10, `mean leading track significance of b jets: ${leadingB}`);
    assert.ok(leadingB > 5 * leadingLight, `mean leading track significance: b ${leadingB}, light ${leadingLight}`);
    assert.ok(stats.b.vertices / stats.b.jets > 4 * (stats.light.vertices / stats.light.jets), JSON.stringify(stats));
  });

  test('sample trains to a good BvsL', () => {
    const outputRoot = path.join(workDir, 'results');
    const result = spawnSync(
      process.execPath,
      [
        path.join(repoRoot(), 'bin', 'bhive.js'),
        'run',
        'ROCCurve',
        '--config',
        path.join(repoRoot(), 'configs', 'nanox_deepjet.yml'),
        '--output-dir',
        outputRoot,
        '--data-dir',
        sampleDir,
        '--model',
        'mlp',
        '--epochs',
        '4',
        '--quiet',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stderr);
    const output = /Output: (.*)$/m.exec(result.stderr);
    assert.ok(output !== null, result.stderr);
    const roc = JSON.parse(readFileSync(path.join(output[1].trim(), 'roc.json'), 'utf8')) as Record<string, { auc: number }>;
    assert.ok(roc.BvsL.auc > 0.85, `BvsL AUC ${roc.BvsL.auc}`);
    assert.ok(roc.CvsL.auc > 0.6, `CvsL AUC ${roc.CvsL.auc}`);
  });
});

test('generate rejects a folder with ROOT files', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bhive-generate-'));
  await generateSample({ outputDir: dir, numTrainFiles: 2, numTestFiles: 1, jetsPerFile: 20 });
  await assert.rejects(generateSample({ outputDir: dir, numTrainFiles: 1, numTestFiles: 1, jetsPerFile: 20 }), /already holds ROOT files \(/);
  rmSync(dir, { recursive: true, force: true });
});
