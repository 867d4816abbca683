import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { predictionColumns, readPredictions } from '../../src/dataset/predictions.js';
import { RootFile } from '../../src/root/index.js';
import { repoRoot, sharedData } from '../helpers/paths.js';
import { readRows } from '../root-writer/jsroot-read.js';

const bhive = path.join(repoRoot(), 'bin', 'bhive.js');
const config = path.join(repoRoot(), 'configs', 'nanox_deepjet.yml');
const classes = ['b', 'bb', 'lepb', 'c', 'uds', 'g'];
const outputRoot = mkdtempSync(path.join(os.tmpdir(), 'bhive-inference-'));
after(() => rmSync(outputRoot, { recursive: true, force: true }));

function runInference(extra: string[]): string {
  const result = spawnSync(
    process.execPath,
    [bhive, 'run', 'Inference', '--config', config, '--output-dir', outputRoot, '--data-dir', sharedData('jets-nanox'), '--model', 'mlp', '--epochs', '2', '--quiet', ...extra],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  const output = /Output: (.*)$/m.exec(result.stderr);
  assert.ok(output !== null, result.stderr);
  return output[1].trim();
}

/** Reads every branch of the `predictions` tree with bhive's reader, as numbers per branch. */
async function readTree(file: string): Promise<Map<string, number[]>> {
  const rootFile = await RootFile.open(file);
  try {
    const tree = await rootFile.tree('predictions');
    const chunk = await tree.arrays(tree.branchNames);
    const result = new Map<string, number[]>();
    for (const [name, column] of chunk.columns) {
      assert.equal(column.kind, 'flat', name);
      if (column.kind === 'flat') result.set(name, Array.from(column.values as ArrayLike<number>));
    }
    return result;
  } finally {
    await rootFile.close();
  }
}

describe('Inference outputs', () => {
  test('labelled sample gets probabilities and one-hot truth', async () => {
    const dir = runInference(['--sample', 'test']);
    const predictions = await readPredictions(path.join(dir, 'predictions.npz'), classes);
    const numJets = predictions.label.length;
    assert.ok(numJets > 1000, `${numJets} test jets`);
    const tree = await readTree(path.join(dir, 'predictions.root'));
    assert.deepEqual([...tree.keys()], ['pt', 'eta', 'weight', 'label', ...classes.map((c) => `prob_${c}`), ...classes.map((c) => `is${c}`)]);
    assert.deepEqual(tree.get('pt'), Array.from(predictions.pt));
    assert.deepEqual(tree.get('label'), Array.from(predictions.label));
    classes.forEach((name, k) => {
      const probabilities = tree.get(`prob_${name}`) ?? [];
      const truth = tree.get(`is${name}`) ?? [];
      for (let i = 0; i < numJets; i++) {
        assert.equal(probabilities[i], predictions.probabilities[i * classes.length + k], `prob_${name} of jet ${i}`);
        assert.equal(truth[i], predictions.label[i] === k ? 1 : 0, `is${name} of jet ${i}`);
      }
    });
    // jsroot, an independent reader, gets the same probabilities.
    const rows = await readRows(path.join(dir, 'predictions.root'), 'predictions', ['prob_b', 'isb']);
    assert.equal(rows.length, numJets);
    assert.deepEqual(rows.map((r) => r.prob_b), tree.get('prob_b'));
  });

  test('ONNX Runtime agrees with tfjs', async () => {
    const tfjsDir = runInference(['--sample', 'test']);
    const onnxDir = runInference(['--sample', 'test', '--runtime', 'onnxruntime']);
    assert.notEqual(onnxDir, tfjsDir);
    const summary = JSON.parse(readFileSync(path.join(onnxDir, 'predictions.json'), 'utf8')) as { runtime: string };
    assert.equal(summary.runtime, 'onnxruntime');
    const expected = await readPredictions(path.join(tfjsDir, 'predictions.npz'), classes);
    const actual = await readPredictions(path.join(onnxDir, 'predictions.npz'), classes);
    assert.equal(actual.probabilities.length, expected.probabilities.length);
    let maxDifference = 0;
    for (let i = 0; i < expected.probabilities.length; i++) {
      maxDifference = Math.max(maxDifference, Math.abs(actual.probabilities[i] - expected.probabilities[i]));
    }
    assert.ok(maxDifference <= 1e-5, `largest difference ${maxDifference}`);
    assert.deepEqual(readdirSync(path.join(onnxDir, 'onnx')).sort(), ['model.onnx', 'model_inputs.json']);
  });

  test('collision data without labels', async () => {
    const dir = runInference(['--sample', 'data', '--require-labels', 'false']);
    const summary = JSON.parse(readFileSync(path.join(dir, 'predictions.json'), 'utf8')) as { numJets: number };
    assert.equal(summary.numJets, 334, 'every jet of da_train1_1.root');
    const tree = await readTree(path.join(dir, 'predictions.root'));
    assert.deepEqual([...tree.keys()], ['pt', 'eta', 'weight', 'label', ...classes.map((c) => `prob_${c}`)]);
    assert.ok((tree.get('label') ?? []).every((label) => label === -1));
    for (let i = 0; i < 334; i++) {
      const sum = classes.reduce((total, name) => total + (tree.get(`prob_${name}`) ?? [])[i], 0);
      assert.ok(Math.abs(sum - 1) < 1e-5, `probabilities of jet ${i} add up to ${sum}`);
    }
    assert.deepEqual(readdirSync(dir).sort(), ['predictions.json', 'predictions.npz', 'predictions.root', 'provenance.json']);
  });
});

describe('predictionColumns', () => {
  test('one-hot truth only with known labels', () => {
    const base = {
      classes: ['b', 'light'],
      probabilities: Float32Array.of(0.9, 0.1, 0.2, 0.8, 0.5, 0.5),
      weight: Float32Array.of(1, 1, 1),
      pt: Float32Array.of(30, 40, 50),
      eta: Float32Array.of(0, 1, -1),
    };
    const labelled = predictionColumns({ ...base, label: Int32Array.of(0, 1, 1) });
    assert.deepEqual(labelled.map((c) => c.name), ['pt', 'eta', 'weight', 'label', 'prob_b', 'prob_light', 'isb', 'islight']);
    assert.deepEqual(Array.from(labelled[5].values), [0.1, 0.8, 0.5].map(Math.fround));
    assert.deepEqual(Array.from(labelled[6].values), [1, 0, 0]);
    assert.deepEqual(Array.from(labelled[7].values), [0, 1, 1]);
    const unlabelled = predictionColumns({ ...base, label: Int32Array.of(-1, -1, 0) });
    assert.deepEqual(unlabelled.map((c) => c.name), ['pt', 'eta', 'weight', 'label', 'prob_b', 'prob_light']);
  });
});
