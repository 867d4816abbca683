/**
 * Small typed readers for untrusted YAML values. Each reader takes the key path of the
 * value so that errors name the exact key, such as `candidates[1].max_candidates`.
 */
import { ConfigError, didYouMean } from '../errors.js';

export type YamlObject = Record<string, unknown>;

/** Context shared by every reader: the config file's path for error messages. */
export interface ValidationContext {
  file: string;
}

function fail(ctx: ValidationContext, key: string, message: string): never {
  throw new ConfigError(`invalid value for '${key}' in ${ctx.file}: ${message}`, {
    configFile: ctx.file,
    configKey: key,
  });
}

/** Describe a YAML value's type for error messages. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

export function readObject(ctx: ValidationContext, key: string, value: unknown): YamlObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(ctx, key, `expected a mapping, found ${typeName(value)}`);
  }
  return value as YamlObject;
}

/** Reject keys of `object` that are not in `allowed`, naming the closest allowed key. */
export function checkKeys(ctx: ValidationContext, key: string, object: YamlObject, allowed: readonly string[]): void {
  for (const name of Object.keys(object)) {
    if (!allowed.includes(name)) {
      const path = key === '' ? name : `${key}.${name}`;
      throw new ConfigError(
        `unknown key '${path}' in ${ctx.file}.${didYouMean(name, allowed)} Allowed keys${key ? ` under '${key}'` : ''}: ${allowed.join(', ')}.`,
        { configFile: ctx.file, configKey: path },
      );
    }
  }
}

export function requireKey(ctx: ValidationContext, key: string, object: YamlObject, name: string): unknown {
  const value = object[name];
  if (value === undefined || value === null) {
    const path = key === '' ? name : `${key}.${name}`;
    throw new ConfigError(`missing required key '${path}' in ${ctx.file}`, { configFile: ctx.file, configKey: path });
  }
  return value;
}

export function readString(ctx: ValidationContext, key: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) fail(ctx, key, `expected a non-empty string, found ${typeName(value)}`);
  return value;
}

export function readNumber(ctx: ValidationContext, key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(ctx, key, `expected a finite number, found ${typeName(value)}`);
  return value;
}

export function readPositiveInteger(ctx: ValidationContext, key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    fail(ctx, key, `expected a positive integer, found ${typeName(value)}`);
  }
  return value;
}

export function readBoolean(ctx: ValidationContext, key: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(ctx, key, `expected true or false, found ${typeName(value)}`);
  return value;
}

export function readStringList(ctx: ValidationContext, key: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    fail(ctx, key, `expected a non-empty list of strings, found ${Array.isArray(value) ? 'an empty list' : typeName(value)}`);
  }
  const result = value.map((item, i) => readString(ctx, `${key}[${i}]`, item));
  const seen = new Set<string>();
  for (const item of result) {
    if (seen.has(item)) fail(ctx, key, `'${item}' appears twice`);
    seen.add(item);
  }
  return result;
}

/** Read a strictly increasing list of at least two numbers, such as bin edges. */
export function readEdges(ctx: ValidationContext, key: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.length < 2) fail(ctx, key, `expected a list of at least two bin edges, found ${typeName(value)}`);
  const edges = value.map((item, i) => readNumber(ctx, `${key}[${i}]`, item));
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i] > edges[i - 1])) fail(ctx, key, `bin edges must increase, but ${edges[i]} follows ${edges[i - 1]}`);
  }
  return edges;
}

/** Raise a ConfigError at `key` with `message`. */
export function invalid(ctx: ValidationContext, key: string, message: string): never {
  fail(ctx, key, message);
}
