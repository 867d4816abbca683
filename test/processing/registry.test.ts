import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BhiveError, UnknownNameError } from '../../src/errors.js';
import { PerJetProcessor, ProcessorRegistry, registerBuiltinProcessors } from '../../src/processing/index.js';

test('built-in processors are registered', () => {
  const registry = new ProcessorRegistry();
  registerBuiltinProcessors(registry);
  assert.deepEqual(registry.names(), ['nanoaod', 'per_jet', 'pfnano', 'physlite']);
  assert.equal(registry.create('nanoaod').name, 'nanoaod');
  assert.ok(registry.create('per_jet') instanceof PerJetProcessor);
});

test('duplicate processor name', () => {
  const registry = new ProcessorRegistry();
  const factory = { name: 'per_jet', description: 'x', create: () => new PerJetProcessor() };
  registry.register(factory);
  assert.throws(() => registry.register(factory), BhiveError);
  registry.register(factory, { override: true });
  assert.deepEqual(registry.names(), ['per_jet']);
});

test('unknown processor suggests a name', () => {
  const registry = new ProcessorRegistry();
  registerBuiltinProcessors(registry);
  assert.equal(registry.get('nanoad'), undefined);
  assert.throws(
    () => registry.create('nanoad'),
    (error: unknown) => error instanceof UnknownNameError && error.message.includes("Did you mean 'nanoaod'") && error.message.includes('per_jet'),
  );
});
