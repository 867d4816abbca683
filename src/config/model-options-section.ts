/**
 * The config's `model_options` section: options per model name, passed to the model when the
 * Training task builds it, for example
 *
 *     model_options:
 *       particlenet: { k: 8, convBlocks: [[32, 32], [64, 64]] }
 *       deepjet: { dropout: 0.2 }
 *
 * The model checks its own option names and values when it is built.
 */

import type { JsonValue, ModelOptions } from '../models/options.js';
import { invalid, readObject } from './validate.js';
import type { ValidationContext } from './validate.js';

/** Check that `value` is JSON data (what YAML gives for plain mappings, lists and scalars). */
function toJson(ctx: ValidationContext, key: string, value: unknown): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) invalid(ctx, key, `expected a finite number, found ${value}`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, k) => toJson(ctx, `${key}[${k}]`, item));
  if (typeof value === 'object') {
    const result: { [name: string]: JsonValue } = {};
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) result[name] = toJson(ctx, `${key}.${name}`, item);
    return result;
  }
  return invalid(ctx, key, `expected a number, string, boolean, list or mapping, found ${typeof value}`);
}

/** Read `model_options`: a mapping from model name to that model's options. */
export function readModelOptions(ctx: ValidationContext, value: unknown): Record<string, ModelOptions> {
  const section = readObject(ctx, 'model_options', value);
  const result: Record<string, ModelOptions> = {};
  for (const [model, options] of Object.entries(section)) {
    const key = `model_options.${model}`;
    const object = readObject(ctx, key, options);
    if ('seed' in object) invalid(ctx, `${key}.seed`, 'the seed of the initial weights is the parameter seed; set parameters.seed or --seed instead');
    result[model] = toJson(ctx, key, object) as ModelOptions;
  }
  return result;
}
