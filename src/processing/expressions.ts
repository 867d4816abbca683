/**
 * Selections and derived features of a config, evaluated per jet: a derived feature name
 * resolves to its expression over branches, any other name to the branch itself.
 */

import type { BhiveConfig } from '../config/types.js';
import { evaluateExpression, parseExpression } from '../columnar/index.js';

/** Returns `names` with every derived feature replaced by the branches its expression reads, without duplicates. */
export function expandDerived(config: BhiveConfig, names: string[]): string[] {
  const derived = config.derivedFeatures ?? {};
  const result: string[] = [];
  for (const name of names) {
    if (name in derived) result.push(...parseExpression(derived[name]).names);
    else result.push(name);
  }
  if (config.selection !== undefined) {
    for (const name of parseExpression(config.selection).names) result.push(...(name in derived ? parseExpression(derived[name]).names : [name]));
  }
  return [...new Set(result)];
}

/**
 * Wraps a per-jet branch lookup so that derived feature names are computed, once each.
 * `numJets` is the length of every column.
 */
export function derivedLookup(
  config: BhiveConfig,
  numJets: number,
  branch: (name: string) => ArrayLike<number>,
): (name: string) => ArrayLike<number> {
  const derived = config.derivedFeatures ?? {};
  const computed = new Map<string, Float64Array>();
  return (name) => {
    if (!(name in derived)) return branch(name);
    let values = computed.get(name);
    if (values === undefined) {
      values = evaluateExpression(parseExpression(derived[name]), numJets, branch);
      computed.set(name, values);
    }
    return values;
  };
}

/** Evaluates `config.selection` per jet [jets]; undefined without a selection. */
export function selectionMask(config: BhiveConfig, numJets: number, lookup: (name: string) => ArrayLike<number>): Float64Array | undefined {
  if (config.selection === undefined) return undefined;
  return evaluateExpression(parseExpression(config.selection), numJets, lookup);
}
