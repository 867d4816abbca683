/**
 * Turns one file of a per-jet tree (one jet per entry, such as NANOX `jets`) into selected,
 * labelled and padded jet columns, following a BhiveConfig.
 */

import type { BhiveConfig, KinematicSource } from '../config/types.js';
import { labelBranches } from '../config/labels-section.js';
import { entrySegments, gatherFloat32, gatherRows, padCandidates, padSegments, sameOffsets, sortSegments } from '../columnar/index.js';
import { readBranches, type BranchColumns, type FlatColumn, type JaggedColumn } from '../root/index.js';
import { InputError } from '../errors.js';
import { classPriority, labelColumns } from './labels.js';
import { processingMessages } from './messages.js';
import { selectEntries } from './selection.js';
import { derivedLookup, expandDerived, selectionMask } from './expressions.js';

export interface ProcessFileOptions {
  /** When false the file has no truth: class and drop flag branches are not read, and every label is -1. Default true. */
  requireLabels?: boolean;
  onProgress?(entriesDone: number, entriesTotal: number): void;
  /** Entries read per chunk by processors that read in chunks; each has its own default. */
  stepSize?: number;
}

/** The selected jets of one file, in file order. */
export interface ProcessedJets {
  file: string;
  tree: string;
  /** Entries of the tree according to its header, all of which were read. */
  numEntries: number;
  numJets: number;
  /** Tree entry of each selected jet, [jets]: the jet's own entry, or its event's in event-level trees. */
  entries: Int32Array;
  /** float32 [jets, globalFeatures]. */
  global: Float32Array;
  /** float32 [jets, maxCandidates, features] per candidate group name. */
  groups: Record<string, Float32Array>;
  /** float32 [jets, spectators] of `config.spectators`; undefined when the config has none. */
  spectators?: Float32Array;
  /** Class index into `config.classes`, or -1 without labels, [jets]. */
  label: Int32Array;
  /** Jet pT in GeV, [jets]. */
  pt: Float32Array;
  eta: Float32Array;
  /** Entries removed, keyed by drop category name or cut reason. */
  dropped: Record<string, number>;
}

interface Where {
  file: string;
  tree: string;
}

/** Names of all branches that processing a file needs, without duplicates. */
export function requiredBranches(config: BhiveConfig, requireLabels = true): string[] {
  const names = [config.kinematics.pt.branch, config.kinematics.eta.branch, ...config.globalFeatures, ...(config.spectators ?? [])];
  for (const group of config.candidates) names.push(...group.features);
  if (requireLabels) names.push(...labelBranches([...config.classes, ...config.drop]));
  return expandDerived(config, names);
}

// readBranches returns every requested branch, either as flat or as jagged, so a miss is a
// branch of the other kind.
function flatColumn(columns: BranchColumns, name: string, where: Where): FlatColumn {
  const column = columns.flat.get(name);
  if (!column) throw new InputError(processingMessages.notScalar(where.file, where.tree, name), { ...where, branch: name });
  return column;
}

function jaggedColumn(columns: BranchColumns, name: string, where: Where): JaggedColumn {
  const column = columns.jagged.get(name);
  if (!column) throw new InputError(processingMessages.notJagged(where.file, where.tree, name), { ...where, branch: name });
  return column;
}

function kinematic(columns: BranchColumns, source: KinematicSource, where: Where): Float64Array {
  const raw = flatColumn(columns, source.branch, where);
  const values = new Float64Array(raw.length);
  const scale = source.scale ?? 1;
  for (let i = 0; i < raw.length; i++) values[i] = (source.log10 ? Math.pow(10, raw[i]) : raw[i]) * scale;
  return values;
}

/**
 * Reads one file and returns its selected jets. Drop categories apply first, then the cuts
 * (pT in GeV), then the truth classes. Candidate groups are clipped or padded to
 * `maxCandidates`, keeping the first candidates in file order.
 * @throws InputError for a missing file, tree or branch, or an entry in two classes.
 */
export async function processJetFile(config: BhiveConfig, file: string, options: ProcessFileOptions = {}): Promise<ProcessedJets> {
  const requireLabels = options.requireLabels ?? true;
  const columns = await readBranches(file, config.tree, requiredBranches(config, requireLabels), {
    onProgress: options.onProgress,
  });

  const where: Where = { file, tree: config.tree };
  const perJet = derivedLookup(config, columns.numEntries, (name) => flatColumn(columns, name, where));
  const pt = kinematic(columns, config.kinematics.pt, where);
  const eta = kinematic(columns, config.kinematics.eta, where);
  const selection = selectEntries({
    file,
    numEntries: columns.numEntries,
    pt,
    eta,
    cuts: config.cuts,
    drop: requireLabels ? labelColumns(config.drop, perJet) : [],
    classes: requireLabels ? labelColumns(config.classes, perJet) : undefined,
    classPriority: classPriority(config.classes, config.labelPriority),
    mask: selectionMask(config, columns.numEntries, perJet),
  });
  const entries = selection.entries;

  const groups: Record<string, Float32Array> = {};
  for (const group of config.candidates) {
    const features = group.features.map((name) => jaggedColumn(columns, name, where));
    if (group.sortBy === undefined) {
      groups[group.name] = padCandidates(features, entries, group.maxCandidates, group.padValue);
      continue;
    }
    // Sorting moves whole candidates, so every feature must have the same lengths per entry.
    const key = features[group.features.indexOf(group.sortBy.feature)];
    group.features.forEach((name, f) => {
      if (!sameOffsets(features[f].offsets, key.offsets)) {
        throw new InputError(processingMessages.unequalLengths(file, config.tree, name, group.sortBy?.feature ?? ''), { ...where, branch: name });
      }
    });
    const { offsets, items } = entrySegments(key.offsets, entries);
    sortSegments(offsets, items, key.values, group.sortBy.descending);
    groups[group.name] = padSegments(features.map((f) => f.values), offsets, items, group.maxCandidates, group.padValue);
  }

  return {
    file,
    tree: config.tree,
    numEntries: columns.numEntries,
    numJets: entries.length,
    entries,
    global: gatherRows(config.globalFeatures.map(perJet), entries),
    groups,
    ...(config.spectators ? { spectators: gatherRows(config.spectators.map(perJet), entries) } : {}),
    label: selection.labels,
    pt: gatherFloat32(pt, entries),
    eta: gatherFloat32(eta, entries),
    dropped: selection.dropped,
  };
}
