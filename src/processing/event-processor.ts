/**
 * Processors of event-level trees, where every entry is an event and jets are the elements
 * of a jagged collection: CMS NanoAOD (`Jet_*`, secondary vertices `SV_*` matched by ΔR),
 * PFNano (particle-flow candidates through `JetPFCands_jetIdx`) and ATLAS PHYSLITE
 * (`AnalysisJetsAuxDyn.*` vectors). The file is read in chunks of `stepSize` events.
 */

import { labelBranches } from '../config/labels-section.js';
import type { BhiveConfig, KinematicSource } from '../config/types.js';
import { gatherFloat32, gatherRows, padSegments, sortSegments } from '../columnar/index.js';
import { ConfigError } from '../errors.js';
import { RootFile, type Column } from '../root/index.js';
import {
  candidateFeature,
  collection,
  eventOfJets,
  jetColumn,
  linkByJetIndex,
  matchByDeltaR,
  type CandidateSegments,
  type ChunkWhere,
  type Collection,
} from './event-columns.js';
import { eventMessages } from './event-messages.js';
import type { ProcessedJets, ProcessFileOptions } from './jet-file.js';
import { classPriority, labelColumns } from './labels.js';
import { Processor } from './processor.js';
import { selectEntries } from './selection.js';
import { derivedLookup, expandDerived, selectionMask } from './expressions.js';

/** Events read per chunk when the caller gives no step size. */
export const DEFAULT_EVENT_STEP = 50000;

function kinematic(values: ArrayLike<number>, source: KinematicSource): Float64Array {
  const result = new Float64Array(values.length);
  const scale = source.scale ?? 1;
  for (let i = 0; i < values.length; i++) result[i] = (source.log10 ? Math.pow(10, values[i]) : values[i]) * scale;
  return result;
}

function concatFloat32(parts: Float32Array[]): Float32Array {
  const result = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

function concatInt32(parts: Int32Array[]): Int32Array {
  const result = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

/** Jets of an event-level tree; subclasses differ in the candidate sources they accept. */
export class EventCollectionProcessor extends Processor {
  constructor(
    readonly name: string,
    readonly description: string,
    private readonly sources: ReadonlyArray<'match' | 'link'>,
  ) {
    super();
  }

  checkConfig(config: BhiveConfig): void {
    config.candidates.forEach((group, i) => {
      const key = `candidates[${i}]`;
      let source: 'match' | 'link' | undefined;
      if (group.match !== undefined) source = 'match';
      else if (group.link !== undefined) source = 'link';
      if (source === undefined || !this.sources.includes(source)) {
        throw new ConfigError(eventMessages.needsSource(config.path, group.name, this.name), { configFile: config.path, configKey: key });
      }
      if (source === 'match' && config.kinematics.phi === undefined) {
        throw new ConfigError(eventMessages.needsPhi(config.path, group.name), { configFile: config.path, configKey: 'kinematics.phi' });
      }
    });
  }

  requiredBranches(config: BhiveConfig, requireLabels: boolean): string[] {
    const { pt, eta, phi } = config.kinematics;
    const names = [pt.branch, eta.branch, ...(phi ? [phi.branch] : []), ...config.globalFeatures, ...(config.spectators ?? [])];
    for (const group of config.candidates) {
      if (group.match) names.push(group.match.eta, group.match.phi);
      if (group.link) names.push(group.link.jetIndex, ...(group.link.candidateIndex ? [group.link.candidateIndex] : []));
      names.push(...group.features);
    }
    if (requireLabels) names.push(...labelBranches([...config.classes, ...config.drop]));
    return expandDerived(config, names);
  }

  async processFile(config: BhiveConfig, file: string, options: ProcessFileOptions = {}): Promise<ProcessedJets> {
    const requireLabels = options.requireLabels ?? true;
    const branches = this.requiredBranches(config, requireLabels);
    const rootFile = await RootFile.open(file);
    try {
      const tree = await rootFile.tree(config.tree);
      const numEntries = tree.numEntries;
      options.onProgress?.(0, numEntries);
      const parts: ProcessedJets[] = [];
      for await (const chunk of tree.iterate(branches, { stepSize: options.stepSize ?? DEFAULT_EVENT_STEP })) {
        const at: ChunkWhere = { file, tree: config.tree, entryStart: chunk.entryStart, entryStop: chunk.entryStop };
        parts.push(this.processChunk(config, chunk.columns, at, requireLabels));
        options.onProgress?.(chunk.entryStop, numEntries);
      }
      return this.merge(config, file, numEntries, parts);
    } finally {
      await rootFile.close();
    }
  }

  private processChunk(config: BhiveConfig, columns: Map<string, Column>, at: ChunkWhere, requireLabels: boolean): ProcessedJets {
    const jetOffsets = collection(columns, config.kinematics.pt.branch, at).offsets;
    const numJets = jetOffsets[jetOffsets.length - 1];
    const perJet = derivedLookup(config, numJets, (name) => jetColumn(columns, name, jetOffsets, at));
    const pt = kinematic(perJet(config.kinematics.pt.branch), config.kinematics.pt);
    const eta = kinematic(perJet(config.kinematics.eta.branch), config.kinematics.eta);

    const selection = selectEntries({
      file: at.file,
      numEntries: numJets,
      pt,
      eta,
      cuts: config.cuts,
      drop: requireLabels ? labelColumns(config.drop, perJet) : [],
      classes: requireLabels ? labelColumns(config.classes, perJet) : undefined,
      classPriority: classPriority(config.classes, config.labelPriority),
      mask: selectionMask(config, numJets, perJet),
    });
    const jets = selection.entries;
    const jetEvent = eventOfJets(jetOffsets);
    const phiSource = config.kinematics.phi;
    const phi = phiSource && config.candidates.some((g) => g.match) ? kinematic(perJet(phiSource.branch), phiSource) : undefined;

    const groups: Record<string, Float32Array> = {};
    for (const group of config.candidates) {
      let segments: CandidateSegments;
      let source: Collection;
      if (group.match) {
        // checkConfig guarantees kinematics.phi for groups matched by ΔR.
        const candidateEta = collection(columns, group.match.eta, at);
        segments = matchByDeltaR(jets, jetEvent, eta, phi as Float64Array, candidateEta, collection(columns, group.match.phi, at), group.match.deltaR);
        source = candidateEta;
      } else {
        // checkConfig guarantees that a group without match has a link.
        const link = group.link as NonNullable<typeof group.link>;
        source = collection(columns, link.jetIndex, at);
        segments = linkByJetIndex(jets, jetOffsets, source);
      }
      const features = group.features.map((name) => candidateFeature(columns, group, source, name, at));
      if (group.sortBy) sortSegments(segments.offsets, segments.items, features[group.features.indexOf(group.sortBy.feature)], group.sortBy.descending);
      groups[group.name] = padSegments(features, segments.offsets, segments.items, group.maxCandidates, group.padValue);
    }

    const entries = new Int32Array(jets.length);
    for (let j = 0; j < jets.length; j++) entries[j] = at.entryStart + jetEvent[jets[j]];
    return {
      file: at.file,
      tree: at.tree,
      numEntries: at.entryStop - at.entryStart,
      numJets: jets.length,
      entries,
      global: gatherRows(config.globalFeatures.map(perJet), jets),
      groups,
      ...(config.spectators ? { spectators: gatherRows(config.spectators.map(perJet), jets) } : {}),
      label: selection.labels,
      pt: gatherFloat32(pt, jets),
      eta: gatherFloat32(eta, jets),
      dropped: selection.dropped,
    };
  }

  private merge(config: BhiveConfig, file: string, numEntries: number, parts: ProcessedJets[]): ProcessedJets {
    const dropped: Record<string, number> = {};
    for (const part of parts) {
      for (const [reason, count] of Object.entries(part.dropped)) dropped[reason] = (dropped[reason] ?? 0) + count;
    }
    const groups: Record<string, Float32Array> = {};
    for (const group of config.candidates) groups[group.name] = concatFloat32(parts.map((p) => p.groups[group.name]));
    return {
      file,
      tree: config.tree,
      numEntries,
      numJets: parts.reduce((n, p) => n + p.numJets, 0),
      entries: concatInt32(parts.map((p) => p.entries)),
      global: concatFloat32(parts.map((p) => p.global)),
      groups,
      ...(config.spectators ? { spectators: concatFloat32(parts.map((p) => p.spectators ?? new Float32Array(0))) } : {}),
      label: concatInt32(parts.map((p) => p.label)),
      pt: concatFloat32(parts.map((p) => p.pt)),
      eta: concatFloat32(parts.map((p) => p.eta)),
      dropped,
    };
  }
}
