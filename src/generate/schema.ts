/**
 * The branch layout of the NANOX per-jet ntuples (tree `jets`, one jet per entry). It lists
 * truth flags, jet kinematics, charged candidates (`ncpf`), tagging variables, neutral
 * candidates (`nnpf`) and secondary vertices (`nsv`), in the order and with the types of
 * the CMS files.
 * Collision-data files have no `jetorigin_` truth branches and start with three per-event
 * branches instead (`dataEventBranches`).
 */

import type { BranchSpec } from '../root/writer/index.js';

/** Truth branches: int32 flags, then float32 properties of the decay. */
export const truthFlags = [
  'jetorigin_isPU',
  'jetorigin_isUndefined',
  'jetorigin_isB',
  'jetorigin_isBB',
  'jetorigin_isGBB',
  'jetorigin_isLeptonic_B',
  'jetorigin_isLeptonic_C',
  'jetorigin_isC',
  'jetorigin_isCC',
  'jetorigin_isGCC',
  'jetorigin_isS',
  'jetorigin_isUD',
  'jetorigin_isG',
  'jetorigin_fromLLP',
] as const;
export const truthProperties = ['jetorigin_displacement', 'jetorigin_ctau', 'jetorigin_decay_angle'] as const;

/** Per-event branches of collision-data files: cross-section weight, data flag, process number. */
export const dataEventBranches = ['xsecweight', 'isData', 'processId'] as const;

export const jetFeatures = ['global_pt', 'global_eta', 'global_rho'] as const;

export const chargedFeatures = [
  'cpf_trackEtaRel',
  'cpf_trackPtRel',
  'cpf_trackPPar',
  'cpf_trackDeltaR',
  'cpf_trackPtRatio',
  'cpf_trackPParRatio',
  'cpf_trackSip2dVal',
  'cpf_trackSip2dSig',
  'cpf_trackSip3dVal',
  'cpf_trackSip3dSig',
  'cpf_trackJetDistVal',
  'cpf_trackJetDistSig',
  'cpf_ptrel',
  'cpf_drminsv',
  'cpf_vertex_association',
  'cpf_puppi_weight',
  'cpf_track_chi2',
  'cpf_track_quality',
  'cpf_jetmassdroprel',
  'cpf_relIso01',
] as const;

export const taggingFeatures = [
  'csv_trackSumJetEtRatio',
  'csv_trackSumJetDeltaR',
  'csv_vertexCategory',
  'csv_trackSip2dValAboveCharm',
  'csv_trackSip2dSigAboveCharm',
  'csv_trackSip3dValAboveCharm',
  'csv_trackSip3dSigAboveCharm',
  'csv_jetNSelectedTracks',
  'csv_jetNTracksEtaRel',
] as const;

export const neutralFeatures = [
  'npf_ptrel',
  'npf_deltaR',
  'npf_isGamma',
  'npf_hcal_fraction',
  'npf_drminsv',
  'npf_puppi_weight',
  'npf_jetmassdroprel',
  'npf_relIso01',
] as const;

export const vertexFeatures = [
  'sv_pt',
  'sv_mass',
  'sv_deltaR',
  'sv_ntracks',
  'sv_chi2',
  'sv_normchi2',
  'sv_dxy',
  'sv_dxysig',
  'sv_d3d',
  'sv_d3dsig',
  'sv_costhetasvpv',
  'sv_enratio',
] as const;

/** Lists the branches of a NANOX file, or with `withTruth` false those of collision data. */
export function nanoxBranches(withTruth: boolean): BranchSpec[] {
  const float = (name: string): BranchSpec => ({ name, type: 'float32' });
  const jagged = (counter: string) => (name: string): BranchSpec => ({ name, type: 'float32', counter });
  const truth: BranchSpec[] = withTruth
    ? [
        ...truthFlags.slice(0, 2).map((name): BranchSpec => ({ name, type: 'int32' })),
        ...truthProperties.map(float),
        ...truthFlags.slice(2).map((name): BranchSpec => ({ name, type: 'int32' })),
      ]
    : dataEventBranches.map(float);
  return [
    ...truth,
    ...jetFeatures.map(float),
    { name: 'ncpf', type: 'int32' },
    ...chargedFeatures.map(jagged('ncpf')),
    ...taggingFeatures.map(float),
    { name: 'nnpf', type: 'int32' },
    ...neutralFeatures.map(jagged('nnpf')),
    { name: 'nsv', type: 'int32' },
    ...vertexFeatures.map(jagged('nsv')),
  ];
}
