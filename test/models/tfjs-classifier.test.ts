import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, InputError } from '../../src/errors.js';
import { registerBuiltinModels } from '../../src/models/register-builtins.js';
import { createClassifier, loadClassifier } from '../../src/models/registry.js';
import { smallLayout, syntheticJets } from './synthetic-jets.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'bhive-tfjs-classifier-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

registerBuiltinModels();
const layout = smallLayout();

test('save and load give identical predictions', async () => {
  for (const model of ['deepjet', 'mlp']) {
    const dir = path.join(scratch, model);
    const classifier = await createClassifier(model, layout, { seed: 4 });
    // A short training run moves the batch-normalisation averages away from their start values.
    const train = syntheticJets(layout, 64, 1);
    await classifier.trainModel({
      train,
      validation: syntheticJets(layout, 32, 2),
      epochs: 1,
      batchSize: 16,
      learningRate: 0.01,
      weightDecay: 0,
      seed: 1,
      outputDir: path.join(scratch, `${model}-training`),
    });
    await classifier.save(dir);
    const loaded = await loadClassifier(dir);
    assert.equal(loaded.modelName, model);
    assert.deepEqual(loaded.layout, layout);
    assert.equal(loaded.countParameters(), classifier.countParameters());
    const jets = syntheticJets(layout, 40, 3);
    assert.deepEqual(await loaded.predictModel(jets), await classifier.predictModel(jets));

    const header = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    assert.equal(header.model, model);
    assert.deepEqual(header.options, { seed: 4 });
    assert.equal(header.numParameters, classifier.countParameters());
    loaded.dispose();
    classifier.dispose();
  }
});

test('truncated weight file is reported', async () => {
  const dir = path.join(scratch, 'truncated');
  const classifier = await createClassifier('mlp', layout);
  await classifier.save(dir);
  truncateSync(path.join(dir, 'weights.bin'), 100);
  await assert.rejects(loadClassifier(dir), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /truncated/);
    return true;
  });
  classifier.dispose();
});

test('validateModel matches hand computation', async () => {
  const classifier = await createClassifier('mlp', layout, { seed: 2 });
  const jets = syntheticJets(layout, 50, 6);
  jets.label[0] = -1; // unknown label: ignored
  jets.weight[1] = 0; // zero weight: ignored
  const probabilities = await classifier.predictModel(jets);
  let weightSum = 0;
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < jets.numJets; i++) {
    if (jets.label[i] < 0 || jets.weight[i] <= 0) continue;
    const row = Array.from(probabilities.subarray(i * 3, i * 3 + 3));
    weightSum += jets.weight[i];
    loss -= jets.weight[i] * Math.log(row[jets.label[i]]);
    if (row.indexOf(Math.max(...row)) === jets.label[i]) correct += jets.weight[i];
  }
  const result = await classifier.validateModel(jets);
  assert.ok(Math.abs(result.loss - loss / weightSum) < 1e-5, `${result.loss} vs ${loss / weightSum}`);
  assert.ok(Math.abs(result.accuracy - correct / weightSum) < 1e-6);
  classifier.dispose();
});

test('inputs that do not fit the layout are rejected', async () => {
  const classifier = await createClassifier('mlp', layout);
  const jets = syntheticJets(layout, 10, 1);
  delete jets.groups.sv;
  await assert.rejects(classifier.predictModel(jets), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /no candidate group 'sv'/);
    return true;
  });
  await assert.rejects(createClassifier('mlp', { ...layout, classes: ['b'] }), ConfigError);
  await assert.rejects(createClassifier('mlp', layout, { backend: 'webgl' }), /one of auto, wasm, cpu, tensorflow/);
  classifier.dispose();
});
