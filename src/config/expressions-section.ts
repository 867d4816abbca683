/**
 * The `selection` and `derived_features` keys, expressions parsed at load time so that
 * syntax errors name the key and column, the `non_finite` policies and the `processes`.
 */
import { ExpressionError, parseExpression } from '../columnar/index.js';
import { didYouMean } from '../errors.js';
import type { NonFinitePolicy, ProcessSpec } from './types.js';
import {
  checkKeys,
  invalid,
  readNumber,
  readObject,
  readString,
  readStringList,
  requireKey,
  type ValidationContext,
} from './validate.js';

/** Reads an expression string at `key` and checks its syntax. */
export function readExpression(ctx: ValidationContext, key: string, value: unknown): string {
  const text = readString(ctx, key, value);
  try {
    parseExpression(text);
  } catch (error) {
    if (error instanceof ExpressionError) invalid(ctx, key, error.message);
    throw error;
  }
  return text;
}

/** Reads `derived_features`: names mapped to expressions over branches (not over other derived features). */
export function readDerivedFeatures(ctx: ValidationContext, value: unknown): Record<string, string> {
  const object = readObject(ctx, 'derived_features', value);
  const result: Record<string, string> = {};
  for (const [name, item] of Object.entries(object)) {
    const key = `derived_features.${name}`;
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) invalid(ctx, key, `'${name}' must start with a letter or '_' and contain only letters, digits, '_' and '.'`);
    result[name] = readExpression(ctx, key, item);
  }
  for (const [name, text] of Object.entries(result)) {
    const used = parseExpression(text).names.filter((n) => n in result);
    if (used.length > 0) invalid(ctx, `derived_features.${name}`, `uses the derived feature '${used[0]}'; write it out in terms of branches`);
  }
  return result;
}

/** Reads `non_finite`: `drop` or `{ replace: value }` per array name (`global` or a candidate group). */
export function readNonFinite(ctx: ValidationContext, value: unknown, arrays: string[]): Record<string, NonFinitePolicy> {
  const object = readObject(ctx, 'non_finite', value);
  const result: Record<string, NonFinitePolicy> = {};
  for (const [name, item] of Object.entries(object)) {
    const key = `non_finite.${name}`;
    if (!arrays.includes(name)) invalid(ctx, key, `'${name}' is neither 'global' nor a candidate group (${arrays.join(', ')}).${didYouMean(name, arrays)}`);
    if (item === 'drop') {
      result[name] = { action: 'drop' };
      continue;
    }
    if (typeof item !== 'object' || item === null || Array.isArray(item)) invalid(ctx, key, "expected 'drop' or { replace: <number> }");
    const policy = readObject(ctx, key, item);
    checkKeys(ctx, key, policy, ['replace']);
    result[name] = { action: 'replace', value: readNumber(ctx, `${key}.replace`, requireKey(ctx, key, policy, 'replace')) };
  }
  return result;
}

/** Reads `processes`: names mapped to `{ files: [globs], weight, selection }`. */
export function readProcesses(ctx: ValidationContext, value: unknown): ProcessSpec[] {
  const object = readObject(ctx, 'processes', value);
  const processes = Object.entries(object).map(([name, item]): ProcessSpec => {
    const key = `processes.${name}`;
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) invalid(ctx, key, `'${name}' must start with a letter and contain only letters, digits, '_' and '-'`);
    const spec = readObject(ctx, key, item);
    checkKeys(ctx, key, spec, ['files', 'weight', 'selection', 'evaluation_selection']);
    const weight = spec.weight === undefined ? 1 : readNumber(ctx, `${key}.weight`, spec.weight);
    if (!(weight > 0 && weight <= 1)) invalid(ctx, `${key}.weight`, `sampling weights must be above 0 and at most 1, found ${weight}`);
    const process: ProcessSpec = { name, patterns: readStringList(ctx, `${key}.files`, requireKey(ctx, key, spec, 'files')), weight };
    if (spec.selection !== undefined) process.selection = readExpression(ctx, `${key}.selection`, spec.selection);
    if (spec.evaluation_selection !== undefined) {
      process.evaluationSelection = readExpression(ctx, `${key}.evaluation_selection`, spec.evaluation_selection);
    }
    return process;
  });
  if (processes.length === 0) invalid(ctx, 'processes', 'define at least one process, such as ttbar: { files: [ttbar_*.root] }');
  return processes;
}
