/**
 * Sources of a candidate group's candidates: a counter branch of a per-jet tree
 * (`counter: ncpf`), a ΔR match to an event-level collection
 * (`match: { delta_r: 0.4, eta: SV_eta, phi: SV_phi }`) or index branches
 * (`link: { jet_index: JetPFCands_jetIdx, candidate_index: JetPFCands_pFCandsIdx }`),
 * plus the optional `sort_by: { feature: SV_dxySig, descending: true }`.
 */
import type { CandidateGroup } from './types.js';
import {
  checkKeys,
  invalid,
  readBoolean,
  readNumber,
  readObject,
  readString,
  requireKey,
  type ValidationContext,
  type YamlObject,
} from './validate.js';

type CandidateSource = Pick<CandidateGroup, 'counter' | 'match' | 'link' | 'sortBy'>;

/** Reads `counter`, `match`, `link` and `sort_by` of the candidate group at `key`; at most one of the first three. */
export function readCandidateSource(ctx: ValidationContext, key: string, object: YamlObject, features: string[]): CandidateSource {
  const given = (['counter', 'match', 'link'] as const).filter((name) => object[name] !== undefined);
  if (given.length === 0) invalid(ctx, key, 'give one of counter (per-jet trees), match (ΔR matching) or link (index branches)');
  if (given.length > 1) invalid(ctx, key, `give only one of counter, match and link; found ${given.join(' and ')}`);

  const source: CandidateSource = {};
  if (object.counter !== undefined) source.counter = readString(ctx, `${key}.counter`, object.counter);
  if (object.match !== undefined) {
    const matchKey = `${key}.match`;
    const match = readObject(ctx, matchKey, object.match);
    checkKeys(ctx, matchKey, match, ['delta_r', 'eta', 'phi']);
    const deltaR = readNumber(ctx, `${matchKey}.delta_r`, requireKey(ctx, matchKey, match, 'delta_r'));
    if (!(deltaR > 0)) invalid(ctx, `${matchKey}.delta_r`, `the cone size must be positive, found ${deltaR}`);
    source.match = {
      deltaR,
      eta: readString(ctx, `${matchKey}.eta`, requireKey(ctx, matchKey, match, 'eta')),
      phi: readString(ctx, `${matchKey}.phi`, requireKey(ctx, matchKey, match, 'phi')),
    };
  }
  if (object.link !== undefined) {
    const linkKey = `${key}.link`;
    const link = readObject(ctx, linkKey, object.link);
    checkKeys(ctx, linkKey, link, ['jet_index', 'candidate_index']);
    source.link = { jetIndex: readString(ctx, `${linkKey}.jet_index`, requireKey(ctx, linkKey, link, 'jet_index')) };
    if (link.candidate_index !== undefined) source.link.candidateIndex = readString(ctx, `${linkKey}.candidate_index`, link.candidate_index);
  }
  if (object.sort_by !== undefined) {
    const sortKey = `${key}.sort_by`;
    const sort = readObject(ctx, sortKey, object.sort_by);
    checkKeys(ctx, sortKey, sort, ['feature', 'descending']);
    const feature = readString(ctx, `${sortKey}.feature`, requireKey(ctx, sortKey, sort, 'feature'));
    if (!features.includes(feature)) invalid(ctx, `${sortKey}.feature`, `'${feature}' is not one of the group's features (${features.join(', ')})`);
    source.sortBy = { feature, descending: sort.descending === undefined ? true : readBoolean(ctx, `${sortKey}.descending`, sort.descending) };
  }
  return source;
}
