/** Operations on whole `JetArrays`: shape checks, selecting, concatenating and splitting jets. */

import { Random } from '../random.js';
import type { GroupLayout, JetArrays } from './types.js';

/** The per-jet widths of a dataset's arrays. */
export interface JetLayout {
  globalFeatures: string[];
  groups: GroupLayout[];
  /** Spectator names; undefined or empty for none. */
  spectators?: string[];
  /** Process names of the per-jet `process` index; undefined or empty for none. */
  processes?: string[];
}

/** Array names that the chunks use besides the candidate groups, so no group may take them. */
export const RESERVED_ARRAY_NAMES = ['global', 'label', 'weight', 'pt', 'eta', 'spectators', 'process'];

/**
 * Returns a list of shape problems of `arrays` against `layout`, empty when all arrays
 * have `numJets` rows of the right width.
 */
export function findShapeProblems(arrays: JetArrays, layout: JetLayout): string[] {
  const n = arrays.numJets;
  const problems: string[] = [];
  const expect = (name: string, actual: number, perJet: number, shape: string): void => {
    if (actual !== n * perJet) problems.push(`'${name}' has ${actual} values; shape [${n}${shape}] needs ${n * perJet}`);
  };
  expect('global', arrays.global.length, layout.globalFeatures.length, `, ${layout.globalFeatures.length}`);
  for (const group of layout.groups) {
    const block = arrays.groups[group.name];
    if (!block) {
      problems.push(`candidate group '${group.name}' is missing`);
      continue;
    }
    expect(group.name, block.length, group.maxCandidates * group.features.length, `, ${group.maxCandidates}, ${group.features.length}`);
  }
  for (const name of Object.keys(arrays.groups)) {
    if (!layout.groups.some((g) => g.name === name)) problems.push(`candidate group '${name}' is not in the layout`);
  }
  const numSpectators = layout.spectators?.length ?? 0;
  if (numSpectators > 0) expect('spectators', arrays.spectators?.length ?? 0, numSpectators, `, ${numSpectators}`);
  if ((layout.processes?.length ?? 0) > 0) expect('process', arrays.process?.length ?? 0, 1, '');
  expect('label', arrays.label.length, 1, '');
  expect('weight', arrays.weight.length, 1, '');
  expect('pt', arrays.pt.length, 1, '');
  expect('eta', arrays.eta.length, 1, '');
  return problems;
}

function gatherRowsOf<T extends Float32Array | Int32Array>(source: T, width: number, indices: Int32Array, target: T): T {
  for (let j = 0; j < indices.length; j++) {
    const from = indices[j] * width;
    target.set(source.subarray(from, from + width), j * width);
  }
  return target;
}

/**
 * Returns new arrays holding the jets at `indices`, in that order.
 * @throws RangeError for an index outside 0 .. numJets - 1.
 */
export function selectJets(arrays: JetArrays, indices: Int32Array): JetArrays {
  const n = arrays.numJets;
  for (let j = 0; j < indices.length; j++) {
    if (indices[j] < 0 || indices[j] >= n) throw new RangeError(`jet index ${indices[j]} is outside 0-${n - 1}`);
  }
  const m = indices.length;
  // With no jets the widths are unknown, but then no index is valid either, so m is 0 too.
  const width = (length: number): number => (n === 0 ? 0 : length / n);
  const groups: Record<string, Float32Array> = {};
  for (const [name, block] of Object.entries(arrays.groups)) {
    const w = width(block.length);
    groups[name] = gatherRowsOf(block, w, indices, new Float32Array(m * w));
  }
  const globalWidth = width(arrays.global.length);
  const spectators = arrays.spectators;
  const spectatorWidth = spectators ? width(spectators.length) : 0;
  return {
    numJets: m,
    global: gatherRowsOf(arrays.global, globalWidth, indices, new Float32Array(m * globalWidth)),
    groups,
    ...(spectators ? { spectators: gatherRowsOf(spectators, spectatorWidth, indices, new Float32Array(m * spectatorWidth)) } : {}),
    ...(arrays.process ? { process: gatherRowsOf(arrays.process, 1, indices, new Int32Array(m)) } : {}),
    label: gatherRowsOf(arrays.label, 1, indices, new Int32Array(m)),
    weight: gatherRowsOf(arrays.weight, 1, indices, new Float32Array(m)),
    pt: gatherRowsOf(arrays.pt, 1, indices, new Float32Array(m)),
    eta: gatherRowsOf(arrays.eta, 1, indices, new Float32Array(m)),
  };
}

function concatTyped<T extends Float32Array | Int32Array>(parts: T[], target: T): T {
  let offset = 0;
  for (const part of parts) {
    target.set(part, offset);
    offset += part.length;
  }
  return target;
}

/** Concatenates jet arrays with the same group names, in order. `groupNames` gives the groups when `parts` is empty. */
export function concatJets(parts: JetArrays[], groupNames: string[]): JetArrays {
  const total = (pick: (p: JetArrays) => { length: number }): number => parts.reduce((sum, p) => sum + pick(p).length, 0);
  const groups: Record<string, Float32Array> = {};
  for (const name of groupNames) {
    groups[name] = concatTyped(parts.map((p) => p.groups[name]), new Float32Array(total((p) => p.groups[name])));
  }
  // Spectators are kept only when every part has them.
  const spectatorParts = parts.map((p) => p.spectators).filter((s): s is Float32Array => s !== undefined);
  const withSpectators = parts.length > 0 && spectatorParts.length === parts.length;
  // The same holds for the process index.
  const processParts = parts.map((p) => p.process).filter((s): s is Int32Array => s !== undefined);
  const withProcess = parts.length > 0 && processParts.length === parts.length;
  return {
    numJets: parts.reduce((sum, p) => sum + p.numJets, 0),
    global: concatTyped(parts.map((p) => p.global), new Float32Array(total((p) => p.global))),
    groups,
    ...(withSpectators ? { spectators: concatTyped(spectatorParts, new Float32Array(spectatorParts.reduce((n, s) => n + s.length, 0))) } : {}),
    ...(withProcess ? { process: concatTyped(processParts, new Int32Array(processParts.reduce((n, s) => n + s.length, 0))) } : {}),
    label: concatTyped(parts.map((p) => p.label), new Int32Array(total((p) => p.label))),
    weight: concatTyped(parts.map((p) => p.weight), new Float32Array(total((p) => p.weight))),
    pt: concatTyped(parts.map((p) => p.pt), new Float32Array(total((p) => p.pt))),
    eta: concatTyped(parts.map((p) => p.eta), new Float32Array(total((p) => p.eta))),
  };
}

/**
 * Splits jets at random into training and validation sets. The validation set gets
 * round(numJets × validationFraction) jets; both keep the jets' stored order.
 * @throws RangeError unless 0 ≤ validationFraction < 1.
 */
export function splitJets(
  arrays: JetArrays,
  validationFraction: number,
  seed: number,
): { train: JetArrays; validation: JetArrays } {
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new RangeError(`validation fraction must be at least 0 and below 1; got ${validationFraction}`);
  }
  const permutation = new Random(seed).permutation(arrays.numJets);
  const numValidation = Math.round(arrays.numJets * validationFraction);
  const validation = permutation.slice(0, numValidation).sort();
  const train = permutation.slice(numValidation).sort();
  return { train: selectJets(arrays, train), validation: selectJets(arrays, validation) };
}
