/**
 * The external models that ship with bhive: `external` runs any worker program given by the
 * `command` option, and `torch_deepjet` and `torch_part` run the PyTorch reference worker in
 * workers/pytorch/ with a fixed architecture.
 */

import { ConfigError } from '../../errors.js';
import type { JsonValue, ModelOptions } from '../options.js';
import type { ModelFactory } from '../registry.js';
import { defaultPython, ExternalClassifier, pytorchWorkerScript } from './external-classifier.js';
import type { ExternalModelDefinition } from './external-classifier.js';

/** `external`: options `command` (program and arguments, required) and `architecture` (sent in `hello`, default ''). */
export const externalDefinition: ExternalModelDefinition = {
  name: 'external',
  description: "a worker program in any language, started with the option 'command', speaking the external-trainer protocol",
  command: (options) => readCommand(options.command),
  architecture: (options) => readText('external', options, 'architecture', ''),
};

/** Define a model of the PyTorch reference worker with `architecture`; the option `python` selects the interpreter. */
export function torchDefinition(name: string, architecture: string, description: string): ExternalModelDefinition {
  return {
    name,
    description,
    command: (options) => [readText(name, options, 'python', defaultPython()), pytorchWorkerScript()],
    architecture: () => architecture,
  };
}

export const torchDeepJetDefinition = torchDefinition(
  'torch_deepjet',
  'deepjet',
  'DeepJet in the PyTorch worker (external process; options device, python, threads and the deepjet layer sizes)',
);
export const torchPartDefinition = torchDefinition(
  'torch_part',
  'part',
  'compact Particle Transformer with optional pair features in the PyTorch worker (external process)',
);

/** Wrap `definition` as a registry entry. */
export function externalModelFactory(definition: ExternalModelDefinition): ModelFactory {
  return {
    name: definition.name,
    description: definition.description,
    create: (layout, options) => ExternalClassifier.create(definition, layout, options),
    load: (dir) => ExternalClassifier.load(definition, dir),
  };
}

function readText(model: string, options: ModelOptions, key: string, defaultValue: string): string {
  const value = options[key];
  if (value === undefined) return defaultValue;
  if (typeof value !== 'string') {
    throw new ConfigError(`invalid option '${key}' for model '${model}': expected a string, found ${JSON.stringify(value)}`, { configKey: key });
  }
  return value;
}

function readCommand(value: JsonValue | undefined): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.length > 0)) {
    throw new ConfigError(
      `model 'external' needs the option 'command': the worker's program and arguments as a list of strings, such as ["python3", "my_worker.py"]; found ${JSON.stringify(value)}`,
      { configKey: 'command' },
    );
  }
  return value as string[];
}
