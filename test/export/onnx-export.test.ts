import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { JetArrays } from '../../src/dataset/types.js';
import { BhiveError } from '../../src/errors.js';
import { exportOnnxModel, type OnnxInputsDescription } from '../../src/export/export-model.js';
import { OnnxPredictor } from '../../src/export/onnx-runtime.js';
import { registerBuiltinModels } from '../../src/models/register-builtins.js';
import { createClassifier } from '../../src/models/registry.js';
import { Random } from '../../src/random.js';
import { repoRoot, sharedData } from '../helpers/paths.js';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'bhive-export-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

describe('bhive export of DeepJet', () => {
  const outputRoot = path.join(workDir, 'results');
  let exportDir: string;

  test('command writes a checked CMSSW-style model', () => {
    const result = spawnSync(
      process.execPath,
      [
        path.join(repoRoot(), 'bin', 'bhive.js'),
        'export',
        '--config',
        path.join(repoRoot(), 'configs', 'nanox_deepjet.yml'),
        '--output-dir',
        outputRoot,
        '--data-dir',
        sharedData('jets-nanox'),
        '--model',
        'deepjet',
        '--epochs',
        '1',
        '--check-jets',
        '500',
        '--quiet',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stderr);
    const output = /Export complete: .* Output: (.*)$/m.exec(result.stderr);
    assert.ok(output !== null, result.stderr);
    exportDir = output[1].trim();

    const description = JSON.parse(readFileSync(path.join(exportDir, 'model_inputs.json'), 'utf8')) as OnnxInputsDescription;
    assert.deepEqual(
      description.inputs.map((input) => [input.name, input.shape]),
      [
        ['input_0', ['N', 15]],
        ['input_1', ['N', 25, 16]],
        ['input_2', ['N', 25, 6]],
        ['input_3', ['N', 4, 12]],
      ],
    );
    assert.equal(description.inputs[0].features[0], 'global_pt');
    assert.deepEqual(description.inputs[3].features.slice(0, 3), ['sv_pt', 'sv_deltaR', 'sv_mass']);
    assert.equal(description.inputs[1].padValue, 0);
    assert.equal(description.inputs[1].group, 'cpf');
    assert.deepEqual(description.output, { name: 'ID_pred', shape: ['N', 6], classes: ['b', 'bb', 'lepb', 'c', 'uds', 'g'] });
    assert.equal(description.check?.numJets, 500);
    assert.ok((description.check?.maxAbsDifference ?? 1) <= 1e-5);
  });

  test('batch size is dynamic and NaN inputs count as 0', async () => {
    const session = await InferenceSession.create(path.join(exportDir, 'model.onnx'));
    assert.deepEqual([...session.inputNames], ['input_0', 'input_1', 'input_2', 'input_3']);
    assert.deepEqual([...session.outputNames], ['ID_pred']);
    const random = new Random(3);
    const shapes = [[15], [25, 16], [25, 6], [4, 12]];
    const batch = (numJets: number): Record<string, Tensor> =>
      Object.fromEntries(
        shapes.map((shape, k) => {
          const size = shape.reduce((a, b) => a * b, 1);
          const values = Float32Array.from({ length: numJets * size }, (_, i) => ((i * 7 + k) % 5 === 0 ? 0 : random.normal()));
          return [`input_${k}`, new Tensor('float32', values, [numJets, ...shape])];
        }),
      );
    for (const numJets of [1, 3, 130]) {
      const output = (await session.run(batch(numJets))).ID_pred;
      assert.deepEqual(output.dims, [numJets, 6]);
      const values = output.data as Float32Array;
      for (let i = 0; i < numJets; i++) {
        const sum = values.subarray(6 * i, 6 * i + 6).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(sum - 1) < 1e-5, `softmax row ${i} of ${numJets} sums to ${sum}`);
      }
    }
    const seed = new Random(11);
    const clean = batch(4);
    // The same values with the zeros at even positions replaced by NaN or +Infinity.
    const poisoned: Record<string, Tensor> = {};
    for (const [name, tensor] of Object.entries(clean)) {
      const values = Float32Array.from(tensor.data as Float32Array);
      values.forEach((v, i) => {
        if (v === 0 && seed.uniform() < 0.5) values[i] = i % 2 === 0 ? Number.NaN : Number.NEGATIVE_INFINITY;
      });
      poisoned[name] = new Tensor('float32', values, tensor.dims);
    }
    const cleanOutput = (await session.run(clean)).ID_pred.data as Float32Array;
    const poisonedOutput = (await session.run(poisoned)).ID_pred.data as Float32Array;
    assert.deepEqual(Array.from(poisonedOutput), Array.from(cleanOutput));
    await session.release();
  });
});

/** Random jets with `numGlobal` global features and one candidate group of [8, 3]. */
function randomJets(numJets: number, numGlobal: number): JetArrays {
  const random = new Random(5);
  return {
    numJets,
    global: Float32Array.from({ length: numJets * numGlobal }, () => 3 * random.normal() + 1),
    groups: { trk: Float32Array.from({ length: numJets * 24 }, () => random.normal()) },
    label: new Int32Array(numJets),
    weight: new Float32Array(numJets).fill(1),
    pt: new Float32Array(numJets).fill(50),
    eta: new Float32Array(numJets),
  };
}

describe('exportOnnxModel', () => {
  const layout = { numGlobalFeatures: 4, groups: [{ name: 'trk', maxCandidates: 8, features: ['a', 'b', 'c'] }], classes: ['b', 'c', 'light'] };

  test('MLP with its own names', async () => {
    registerBuiltinModels();
    const modelDir = path.join(workDir, 'mlp-model');
    const classifier = await createClassifier('mlp', layout, { seed: 4, hiddenLayers: [16, 8], inputClip: 2 });
    await classifier.save(modelDir);
    classifier.dispose();
    const jets = randomJets(300, 4);
    const summary = await exportOnnxModel(modelDir, path.join(workDir, 'mlp-export'), { checkJets: jets, globalFeatures: ['w', 'x', 'y', 'z'] });
    assert.deepEqual(summary.signature.inputs.map((i) => i.name), ['global_features']);
    assert.equal(summary.signature.output.name, 'probabilities');
    assert.ok((summary.check?.maxAbsDifference ?? 1) <= 1e-5);
    const predictor = await OnnxPredictor.load(summary.modelFile, summary.signature, { batchSize: 64 });
    const probabilities = await predictor.predict(jets);
    await predictor.dispose();
    assert.equal(probabilities.length, 900);
  });

  test('difference above the tolerance fails', async () => {
    const modelDir = path.join(workDir, 'mlp-model');
    await assert.rejects(
      exportOnnxModel(modelDir, path.join(workDir, 'mlp-strict'), { checkJets: randomJets(10, 4), tolerance: -1 }),
      (error: unknown) => error instanceof BhiveError && /differs from the tfjs model .* more than the tolerance -1/.test(error.message),
    );
  });

  test('DeepJet with a custom group layout', async () => {
    registerBuiltinModels();
    const modelDir = path.join(workDir, 'deepjet-model');
    const classifier = await createClassifier('deepjet', layout, {
      seed: 9,
      denseLayers: [20],
      groups: { trk: { dense: [6, 5], lstmUnits: 7 } },
    });
    await classifier.save(modelDir);
    classifier.dispose();
    const summary = await exportOnnxModel(modelDir, path.join(workDir, 'deepjet-export'), { checkJets: randomJets(200, 4) });
    assert.deepEqual(summary.signature.inputs.map((i) => [i.name, i.dims]), [
      ['input_0', ['N', 4]],
      ['input_1', ['N', 8, 3]],
    ]);
    assert.ok((summary.check?.maxAbsDifference ?? 1) <= 1e-5);
  });
});
