/**
 * The processor registry: a typed map from processor name to factory, the counterpart of
 * b-hive's ProcessorLoader. `registerBuiltinProcessors` (register-builtins.ts) fills it.
 */

import { BhiveError, didYouMean, UnknownNameError } from '../errors.js';
import { processingMessages } from './messages.js';
import type { Processor } from './processor.js';

/** How to create one processor. */
export interface ProcessorFactory {
  name: string;
  /** One line for listings and error messages. */
  description: string;
  create(): Processor;
}

/** Processor factories keyed by name. A duplicate name is an error unless the caller passes `override: true`. */
export class ProcessorRegistry {
  private readonly factories = new Map<string, ProcessorFactory>();

  /**
   * Adds `factory`.
   * @throws BhiveError when the name is taken and `override` is not true.
   */
  register(factory: ProcessorFactory, options: { override?: boolean } = {}): void {
    if (this.factories.has(factory.name) && options.override !== true) {
      throw new BhiveError(processingMessages.duplicateProcessor(factory.name));
    }
    this.factories.set(factory.name, factory);
  }

  /** Returns the factory called `name`, or undefined when none is registered. */
  get(name: string): ProcessorFactory | undefined {
    return this.factories.get(name);
  }

  /**
   * Creates the processor called `name`.
   * @throws UnknownNameError listing the registered processors, with the closest names.
   */
  create(name: string): Processor {
    const factory = this.factories.get(name);
    if (factory === undefined) {
      const known = this.names();
      throw new UnknownNameError(processingMessages.unknownProcessor(name, known) + didYouMean(name, known));
    }
    return factory.create();
  }

  /** Registered processor names, sorted. */
  names(): string[] {
    return [...this.factories.keys()].sort();
  }
}
