/** One dataset chunk: `JetArrays` as an `.npz` archive, with shape checks on both sides. */

import { InputError } from '../errors.js';
import { findShapeProblems, type JetLayout } from './jet-arrays.js';
import type { NdArray, NpyDtype } from './npy.js';
import { decodeNpz, encodeNpz } from './npz.js';
import type { JetArrays } from './types.js';

/**
 * Encodes jets as an `.npz` archive with the members `global` [jets, globalFeatures], one
 * per candidate group [jets, maxCandidates, features], `spectators` [jets, spectators] when
 * the layout has spectators, `label` int32, `weight`, `pt`, `eta` float32 [jets], and
 * `process` int32 [jets] when the layout has processes.
 * @throws InputError naming `file` when an array does not match `layout`.
 */
export function encodeChunk(arrays: JetArrays, layout: JetLayout, file: string, compress: boolean): Uint8Array {
  const problems = findShapeProblems(arrays, layout);
  if (problems.length > 0) {
    throw new InputError(`cannot write dataset chunk ${file}: ${problems.join('; ')}`, { file });
  }
  const n = arrays.numJets;
  const members: Array<[string, NdArray]> = [
    ['global', { dtype: '<f4', shape: [n, layout.globalFeatures.length], data: arrays.global }],
  ];
  for (const group of layout.groups) {
    const shape = [n, group.maxCandidates, group.features.length];
    members.push([group.name, { dtype: '<f4', shape, data: arrays.groups[group.name] }]);
  }
  const spectators = layout.spectators ?? [];
  if (spectators.length > 0 && arrays.spectators) {
    members.push(['spectators', { dtype: '<f4', shape: [n, spectators.length], data: arrays.spectators }]);
  }
  members.push(
    ['label', { dtype: '<i4', shape: [n], data: arrays.label }],
    ['weight', { dtype: '<f4', shape: [n], data: arrays.weight }],
    ['pt', { dtype: '<f4', shape: [n], data: arrays.pt }],
    ['eta', { dtype: '<f4', shape: [n], data: arrays.eta }],
  );
  if ((layout.processes?.length ?? 0) > 0 && arrays.process) {
    members.push(['process', { dtype: '<i4', shape: [n], data: arrays.process }]);
  }
  return encodeNpz(members, compress);
}

/**
 * Decodes a chunk written by `encodeChunk` and checks every member's dtype and shape
 * against `layout` and `numJets`.
 * @throws InputError naming `file` and the member for a missing member, a wrong dtype or a wrong shape.
 */
export function decodeChunk(bytes: Uint8Array, layout: JetLayout, numJets: number, file: string): JetArrays {
  const members = decodeNpz(bytes, file);
  const take = (name: string, dtype: NpyDtype, shape: number[]): NdArray => {
    const array = members.get(name);
    if (!array) {
      throw new InputError(`dataset chunk ${file} has no member '${name}'; it has ${[...members.keys()].join(', ')}`, { file });
    }
    const same = array.shape.length === shape.length && array.shape.every((d, i) => d === shape[i]);
    if (array.dtype !== dtype || !same) {
      throw new InputError(
        `member '${name}' of dataset chunk ${file} is ${array.dtype} [${array.shape.join(', ')}]; ` +
          `the manifest requires ${dtype} [${shape.join(', ')}]`,
        { file },
      );
    }
    return array;
  };

  const groups: Record<string, Float32Array> = {};
  for (const group of layout.groups) {
    groups[group.name] = take(group.name, '<f4', [numJets, group.maxCandidates, group.features.length]).data as Float32Array;
  }
  const numSpectators = layout.spectators?.length ?? 0;
  const withProcess = (layout.processes?.length ?? 0) > 0;
  // take() checked each dtype, so the casts below only narrow the union.
  return {
    numJets,
    global: take('global', '<f4', [numJets, layout.globalFeatures.length]).data as Float32Array,
    groups,
    ...(numSpectators > 0 ? { spectators: take('spectators', '<f4', [numJets, numSpectators]).data as Float32Array } : {}),
    label: take('label', '<i4', [numJets]).data as Int32Array,
    weight: take('weight', '<f4', [numJets]).data as Float32Array,
    pt: take('pt', '<f4', [numJets]).data as Float32Array,
    eta: take('eta', '<f4', [numJets]).data as Float32Array,
    ...(withProcess ? { process: take('process', '<i4', [numJets]).data as Int32Array } : {}),
  };
}
