/**
 * The model registry: a map from model name to factory. Models are added by
 * `registerBuiltinModels` (register-builtins.ts) or by callers with their own factories;
 * tasks create and load classifiers only through here.
 */

import { BhiveError, didYouMean, UnknownNameError } from '../errors.js';
import type { Classifier, ModelInputLayout } from './classifier.js';
import type { ModelOptions } from './options.js';
import { readSavedModelHeader } from './tfjs/tfjs-classifier.js';

export interface ModelFactory {
  name: string;
  /** One line for `bhive models` and error messages. */
  description: string;
  /** Build an untrained classifier; options not known to the model raise a ConfigError. */
  create(layout: ModelInputLayout, options?: ModelOptions): Promise<Classifier>;
  /** Load a classifier that `Classifier.save` wrote to `dir`. */
  load(dir: string): Promise<Classifier>;
}

export class ModelRegistry {
  private readonly factories = new Map<string, ModelFactory>();

  /** Add `factory`; throws when its name is taken, unless `override` is true. */
  register(factory: ModelFactory, options: { override?: boolean } = {}): void {
    if (this.factories.has(factory.name) && options.override !== true) {
      throw new BhiveError(`a model named '${factory.name}' is already registered; pass { override: true } to replace it`);
    }
    this.factories.set(factory.name, factory);
  }

  /** Look up the factory called `name`; undefined when none is registered. */
  get(name: string): ModelFactory | undefined {
    return this.factories.get(name);
  }

  /** Look up the factory called `name`, or throw an UnknownNameError listing the registered models. */
  require(name: string): ModelFactory {
    const factory = this.factories.get(name);
    if (factory === undefined) {
      const known = this.names();
      throw new UnknownNameError(
        `unknown model '${name}'; registered models: ${known.length > 0 ? known.join(', ') : 'none (call registerBuiltinModels first)'}.` +
          didYouMean(name, known),
      );
    }
    return factory;
  }

  /** Registered model names, sorted. */
  names(): string[] {
    return [...this.factories.keys()].sort();
  }

  list(): ModelFactory[] {
    return this.names().map((name) => this.require(name));
  }
}

/** The registry that the command line and tasks use. */
export const modelRegistry = new ModelRegistry();

/** Create an untrained classifier of the model `name`. */
export async function createClassifier(
  name: string,
  layout: ModelInputLayout,
  options: ModelOptions = {},
  registry: ModelRegistry = modelRegistry,
): Promise<Classifier> {
  return registry.require(name).create(layout, options);
}

/** Load the classifier saved in `dir`; its model.json names the model and thus the factory. */
export async function loadClassifier(dir: string, registry: ModelRegistry = modelRegistry): Promise<Classifier> {
  const header = await readSavedModelHeader(dir);
  return registry.require(header.model).load(dir);
}
