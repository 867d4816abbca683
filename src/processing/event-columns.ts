/**
 * Per-jet views of an event-level chunk (NanoAOD, PFNano, PHYSLITE): jets are the elements
 * of the jagged jet collection, so a jet-collection branch gives one value per jet and a
 * per-event branch is repeated for every jet of its event. Candidates of other collections
 * are assigned to jets by ΔR or through index branches.
 */

import type { CandidateGroup } from '../config/types.js';
import { sameOffsets } from '../columnar/index.js';
import { InputError } from '../errors.js';
import type { Column, NumericArray } from '../root/index.js';
import { eventMessages } from './event-messages.js';

/** Location of a chunk (file, tree, entry range) for error messages. */
export interface ChunkWhere {
  file: string;
  tree: string;
  entryStart: number;
  entryStop: number;
}

/** A jagged column of one value per element. */
export interface Collection {
  /** [events + 1], starting at 0. */
  offsets: Int32Array;
  values: ArrayLike<number>;
}

/** Returns `values` as numbers; 64-bit integer columns are converted (exact below 2^53). */
export function toNumbers(values: NumericArray): ArrayLike<number> {
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) return Float64Array.from(values, (v) => Number(v));
  return values;
}

function where(at: ChunkWhere, branch: string): ChunkWhere & { branch: string } {
  return { ...at, branch };
}

/**
 * Returns the jagged column `name` of a chunk with one value per element.
 * @throws InputError for a branch that is not jagged.
 */
export function collection(columns: Map<string, Column>, name: string, at: ChunkWhere): Collection {
  const column = columns.get(name);
  if (column === undefined || column.kind !== 'jagged' || column.itemsPerElement !== 1) {
    throw new InputError(eventMessages.notCollection(at.file, at.tree, name), where(at, name));
  }
  // The reader builds offsets per branch starting at 0 within the chunk.
  return { offsets: column.offsets, values: toNumbers(column.values) };
}

/**
 * Returns one value per jet of branch `name`: a branch of the jet collection (same lengths
 * per event as `jetOffsets`) as it is, a per-event scalar repeated for each jet of its event.
 * @throws InputError for a branch of another collection or of another shape.
 */
export function jetColumn(columns: Map<string, Column>, name: string, jetOffsets: Int32Array, at: ChunkWhere): ArrayLike<number> {
  const column = columns.get(name);
  if (column?.kind === 'jagged' && column.itemsPerElement === 1) {
    if (!sameOffsets(column.offsets, jetOffsets)) throw new InputError(eventMessages.notJetCollection(at.file, at.tree, name), where(at, name));
    return toNumbers(column.values);
  }
  if (column?.kind === 'flat' && column.itemsPerEntry === 1) {
    const perEvent = toNumbers(column.values);
    const numEvents = jetOffsets.length - 1;
    const values = new Float64Array(jetOffsets[numEvents]);
    for (let e = 0; e < numEvents; e++) values.fill(perEvent[e], jetOffsets[e], jetOffsets[e + 1]);
    return values;
  }
  throw new InputError(eventMessages.notJetCollection(at.file, at.tree, name), where(at, name));
}

/** Returns the event of every jet, [jets]. */
export function eventOfJets(jetOffsets: Int32Array): Int32Array {
  const numEvents = jetOffsets.length - 1;
  const events = new Int32Array(jetOffsets[numEvents]);
  for (let e = 0; e < numEvents; e++) events.fill(e, jetOffsets[e], jetOffsets[e + 1]);
  return events;
}

/** Candidate lists of the selected jets: jet j owns items offsets[j] .. offsets[j + 1] - 1. */
export interface CandidateSegments {
  offsets: Int32Array;
  items: Int32Array;
}

function deltaPhi(a: number, b: number): number {
  let d = a - b;
  while (d > Math.PI) d -= 2 * Math.PI;
  while (d <= -Math.PI) d += 2 * Math.PI;
  return d;
}

/**
 * Assigns to each selected jet the candidates of its event with ΔR(jet, candidate) < `cone`,
 * in collection order. Items index the candidate collection's values. φ in radians.
 */
export function matchByDeltaR(
  jets: Int32Array,
  jetEvent: Int32Array,
  jetEta: ArrayLike<number>,
  jetPhi: ArrayLike<number>,
  candidateEta: Collection,
  candidatePhi: Collection,
  cone: number,
): CandidateSegments {
  const offsets = new Int32Array(jets.length + 1);
  const items: number[] = [];
  const cone2 = cone * cone;
  for (let j = 0; j < jets.length; j++) {
    const jet = jets[j];
    const event = jetEvent[jet];
    for (let k = candidateEta.offsets[event]; k < candidateEta.offsets[event + 1]; k++) {
      const dEta = candidateEta.values[k] - jetEta[jet];
      const dPhi = deltaPhi(candidatePhi.values[k], jetPhi[jet]);
      if (dEta * dEta + dPhi * dPhi < cone2) items.push(k);
    }
    offsets[j + 1] = items.length;
  }
  return { offsets, items: Int32Array.from(items) };
}

/**
 * Assigns to each selected jet the link entries whose jet index names it, in link order.
 * Items index the link collection. Link entries with a jet index outside the event's jets
 * (PFNano writes -1 for candidates of no jet) belong to no jet.
 */
export function linkByJetIndex(jets: Int32Array, jetOffsets: Int32Array, jetIndex: Collection): CandidateSegments {
  const numJets = jetOffsets[jetOffsets.length - 1];
  // Count link entries per jet of the chunk, then keep those of the selected jets.
  const perJet = new Int32Array(numJets + 1);
  const numEvents = jetOffsets.length - 1;
  for (let e = 0; e < numEvents; e++) {
    const eventJets = jetOffsets[e + 1] - jetOffsets[e];
    for (let k = jetIndex.offsets[e]; k < jetIndex.offsets[e + 1]; k++) {
      const local = jetIndex.values[k];
      if (local >= 0 && local < eventJets) perJet[jetOffsets[e] + local + 1] += 1;
    }
  }
  for (let i = 0; i < numJets; i++) perJet[i + 1] += perJet[i];
  const byJet = new Int32Array(perJet[numJets]);
  const fill = perJet.slice(0, numJets);
  for (let e = 0; e < numEvents; e++) {
    const eventJets = jetOffsets[e + 1] - jetOffsets[e];
    for (let k = jetIndex.offsets[e]; k < jetIndex.offsets[e + 1]; k++) {
      const local = jetIndex.values[k];
      if (local >= 0 && local < eventJets) byJet[fill[jetOffsets[e] + local]++] = k;
    }
  }
  const offsets = new Int32Array(jets.length + 1);
  for (let j = 0; j < jets.length; j++) offsets[j + 1] = offsets[j] + perJet[jets[j] + 1] - perJet[jets[j]];
  const items = new Int32Array(offsets[jets.length]);
  for (let j = 0; j < jets.length; j++) items.set(byJet.subarray(perJet[jets[j]], perJet[jets[j] + 1]), offsets[j]);
  return { offsets, items };
}

/**
 * Returns the values of a candidate feature indexed like the group's items. A feature of
 * the group's own collection is returned as it is. With `link.candidateIndex`, a feature of
 * the target collection (such as PFCands_pt) is gathered through the index for every link entry.
 * @throws InputError for a feature of another collection, or an index outside its event's target candidates.
 */
export function candidateFeature(
  columns: Map<string, Column>,
  group: CandidateGroup,
  source: Collection,
  name: string,
  at: ChunkWhere,
): ArrayLike<number> {
  const feature = collection(columns, name, at);
  if (sameOffsets(feature.offsets, source.offsets)) return feature.values;
  const indexBranch = group.link?.candidateIndex;
  if (indexBranch === undefined) throw new InputError(eventMessages.otherCollection(at.file, at.tree, name, group.name), where(at, name));
  const index = collection(columns, indexBranch, at);
  const values = new Float64Array(index.values.length);
  const numEvents = index.offsets.length - 1;
  for (let e = 0; e < numEvents; e++) {
    const size = feature.offsets[e + 1] - feature.offsets[e];
    for (let k = index.offsets[e]; k < index.offsets[e + 1]; k++) {
      const target = index.values[k];
      if (!(target >= 0 && target < size)) {
        throw new InputError(eventMessages.indexOutOfRange(at.file, at.tree, indexBranch, at.entryStart + e, target, name, size), where(at, indexBranch));
      }
      values[k] = feature.values[feature.offsets[e] + target];
    }
  }
  return values;
}
