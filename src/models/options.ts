/**
 * Model options: a JSON object stored with every saved model. Each model reads its options
 * with the helpers here, which reject unknown keys and values of the wrong type with a
 * `ConfigError` that names the model and the key.
 */

import { ConfigError, didYouMean } from '../errors.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Options passed to a model factory, such as `{ seed: 1, dropout: 0.1 }`. */
export type ModelOptions = { [key: string]: JsonValue };

/** Typed access to one model's options. */
export class OptionReader {
  private readonly used = new Set<string>();

  constructor(
    private readonly modelName: string,
    private readonly options: ModelOptions,
  ) {}

  number(key: string, defaultValue: number, check: { min?: number; max?: number; integer?: boolean } = {}): number {
    this.used.add(key);
    const value = this.options[key];
    if (value === undefined) return defaultValue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw this.invalid(key, value, 'a finite number');
    }
    if (check.integer === true && !Number.isInteger(value)) throw this.invalid(key, value, 'an integer');
    if (check.min !== undefined && value < check.min) throw this.invalid(key, value, `a number >= ${check.min}`);
    if (check.max !== undefined && value > check.max) throw this.invalid(key, value, `a number <= ${check.max}`);
    return value;
  }

  /** A list of positive integers, such as layer sizes. */
  sizes(key: string, defaultValue: number[]): number[] {
    this.used.add(key);
    const value = this.options[key];
    if (value === undefined) return defaultValue;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isInteger(v) && v > 0)) {
      throw this.invalid(key, value, 'a list of positive integers');
    }
    return value.map(Number);
  }

  string<T extends string>(key: string, defaultValue: T, allowed: readonly T[]): T {
    this.used.add(key);
    const value = this.options[key];
    if (value === undefined) return defaultValue;
    const match = allowed.find((a) => a === value);
    if (match === undefined) throw this.invalid(key, value, `one of ${allowed.join(', ')}`);
    return match;
  }

  /** Read a non-empty list of strings, each one of `allowed`, such as candidate group names. */
  strings(key: string, defaultValue: string[], allowed: readonly string[]): string[] {
    this.used.add(key);
    const value = this.options[key];
    if (value === undefined) return defaultValue;
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && allowed.includes(v))) {
      throw this.invalid(key, value, `a non-empty list of names out of ${allowed.join(', ')}`);
    }
    return value.map(String);
  }

  /** A JSON object, checked by the caller; undefined when absent. */
  object(key: string): { [key: string]: JsonValue } | undefined {
    this.used.add(key);
    const value = this.options[key];
    if (value === undefined) return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw this.invalid(key, value, 'an object');
    }
    return value;
  }

  /** Return the value as given, for options whose shape the caller checks; undefined when absent. */
  raw(key: string): JsonValue | undefined {
    this.used.add(key);
    return this.options[key];
  }

  /** Throw on keys that no reader call asked for. Call after reading every option. */
  rejectUnknownKeys(): void {
    for (const key of Object.keys(this.options)) {
      if (!this.used.has(key)) {
        throw new ConfigError(
          `unknown option '${key}' for model '${this.modelName}'; known options: ${[...this.used].join(', ')}.${didYouMean(key, this.used)}`,
          { configKey: key },
        );
      }
    }
  }

  private invalid(key: string, value: JsonValue, expected: string): ConfigError {
    return new ConfigError(
      `invalid option '${key}' for model '${this.modelName}': expected ${expected}, found ${JSON.stringify(value)}`,
      { configKey: key },
    );
  }
}
