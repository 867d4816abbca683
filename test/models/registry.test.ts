import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { BhiveError, InputError, UnknownNameError } from '../../src/errors.js';
import { registerBuiltinModels, tfjsModelFactory, mlpDefinition } from '../../src/models/register-builtins.js';
import { createClassifier, loadClassifier, modelRegistry, ModelRegistry } from '../../src/models/registry.js';
import { smallLayout } from './synthetic-jets.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'bhive-registry-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('builtin models are registered', () => {
  registerBuiltinModels();
  registerBuiltinModels(); // a second call does nothing
  for (const name of ['deepjet', 'mlp', 'part', 'particle_transformer']) {
    assert.ok(modelRegistry.names().includes(name), `model '${name}' is registered`);
  }
  for (const factory of modelRegistry.list()) assert.ok(factory.description.length > 0);
});

test('registry rejects duplicate names', () => {
  const registry = new ModelRegistry();
  registry.register(tfjsModelFactory(mlpDefinition));
  assert.throws(() => registry.register(tfjsModelFactory(mlpDefinition)), (e: unknown) => {
    assert.ok(e instanceof BhiveError);
    assert.match(e.message, /'mlp' is already registered/);
    return true;
  });
  registry.register({ ...tfjsModelFactory(mlpDefinition), description: 'replaced' }, { override: true });
  assert.equal(registry.get('mlp')?.description, 'replaced');
});

test('unknown model lists known names', async () => {
  registerBuiltinModels();
  await assert.rejects(createClassifier('deepjte', smallLayout()), (e: unknown) => {
    assert.ok(e instanceof UnknownNameError);
    assert.match(e.message, /unknown model 'deepjte'/);
    assert.match(e.message, /registered models: deepjet, deepsets, .*mlp/);
    assert.match(e.message, /Did you mean 'deepjet'/);
    return true;
  });
  assert.equal(modelRegistry.get('deepjte'), undefined);
});

test('empty registry says how to fill it', () => {
  assert.throws(() => new ModelRegistry().require('mlp'), /none \(call registerBuiltinModels first\)/);
});

test('loadClassifier rejects non-model directories', async () => {
  registerBuiltinModels();
  const empty = path.join(scratch, 'empty');
  mkdirSync(empty);
  await assert.rejects(loadClassifier(empty), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /model\.json/);
    assert.equal(e.context.file, path.join(empty, 'model.json'));
    return true;
  });

  const wrongFormat = path.join(scratch, 'wrong-format');
  mkdirSync(wrongFormat);
  writeFileSync(path.join(wrongFormat, 'model.json'), '{"format": "keras"}');
  await assert.rejects(loadClassifier(wrongFormat), /not a bhive model file/);

  const unknownModel = path.join(scratch, 'unknown-model');
  mkdirSync(unknownModel);
  const header = { format: 'bhive-model', version: 1, model: 'resnet', layout: {}, options: {}, weights: { arrays: [] } };
  writeFileSync(path.join(unknownModel, 'model.json'), JSON.stringify(header));
  await assert.rejects(loadClassifier(unknownModel), UnknownNameError);
});
