/** A BhiveConfig for the NANOX `jets` tree, built by hand to mirror configs/nanox_deepjet.yml. */

import type { BhiveConfig } from '../../src/config/types.js';
import { sharedData } from '../helpers/paths.js';

export const NANOX_CLASSES: Array<[string, string[]]> = [
  ['b', ['jetorigin_isB']],
  ['bb', ['jetorigin_isBB', 'jetorigin_isGBB']],
  ['lepb', ['jetorigin_isLeptonic_B', 'jetorigin_isLeptonic_C']],
  ['c', ['jetorigin_isC', 'jetorigin_isCC', 'jetorigin_isGCC']],
  ['uds', ['jetorigin_isUD', 'jetorigin_isS']],
  ['g', ['jetorigin_isG']],
];

export const NANOX_DROP: Array<[string, string[]]> = [
  ['llp', ['jetorigin_fromLLP']],
  ['pileup', ['jetorigin_isPU']],
  ['undefined', ['jetorigin_isUndefined']],
];

/** Path of a file in the shared NANOX sample. */
export function nanoxFile(name: string): string {
  return sharedData('jets-nanox', name);
}

/** Returns the NANOX DeepJet configuration; `overrides` replaces top-level fields. */
export function nanoxConfig(overrides: Partial<BhiveConfig> = {}): BhiveConfig {
  return {
    name: 'nanox_deepjet',
    path: '/virtual/nanox_deepjet.yml',
    tree: 'jets',
    inputs: { dataDir: sharedData('jets-nanox'), samples: { train: ['train_*.root'], test: ['test_*.root'] } },
    kinematics: { pt: { branch: 'global_pt', log10: true }, eta: { branch: 'global_eta', log10: false } },
    cuts: { ptMin: 20, ptMax: 1500, absEtaMax: 2.5 },
    globalFeatures: [
      'global_pt', 'global_eta', 'ncpf', 'nnpf', 'nsv', 'global_rho',
      'csv_trackSumJetEtRatio', 'csv_trackSumJetDeltaR', 'csv_vertexCategory',
      'csv_trackSip2dValAboveCharm', 'csv_trackSip2dSigAboveCharm', 'csv_trackSip3dValAboveCharm',
      'csv_trackSip3dSigAboveCharm', 'csv_jetNSelectedTracks', 'csv_jetNTracksEtaRel',
    ],
    candidates: [
      {
        name: 'cpf', counter: 'ncpf', maxCandidates: 25, padValue: 0,
        features: [
          'cpf_trackEtaRel', 'cpf_trackPtRel', 'cpf_trackPPar', 'cpf_trackDeltaR', 'cpf_trackPParRatio',
          'cpf_trackSip2dVal', 'cpf_trackSip2dSig', 'cpf_trackSip3dVal', 'cpf_trackSip3dSig',
          'cpf_trackJetDistVal', 'cpf_ptrel', 'cpf_drminsv', 'cpf_vertex_association', 'cpf_puppi_weight',
          'cpf_track_chi2', 'cpf_track_quality',
        ],
      },
      {
        name: 'npf', counter: 'nnpf', maxCandidates: 25, padValue: 0,
        features: ['npf_ptrel', 'npf_deltaR', 'npf_isGamma', 'npf_hcal_fraction', 'npf_drminsv', 'npf_puppi_weight'],
      },
      {
        name: 'sv', counter: 'nsv', maxCandidates: 4, padValue: 0,
        features: [
          'sv_pt', 'sv_deltaR', 'sv_mass', 'sv_ntracks', 'sv_chi2', 'sv_normchi2', 'sv_dxy', 'sv_dxysig',
          'sv_d3d', 'sv_d3dsig', 'sv_costhetasvpv', 'sv_enratio',
        ],
      },
    ],
    classes: NANOX_CLASSES.map(([name, flags]) => ({ name, flags })),
    drop: NANOX_DROP.map(([name, flags]) => ({ name, flags })),
    reweighting: {
      referenceClass: 'b',
      ptBins: [20, 30, 50, 80, 120, 200, 1500],
      etaBins: [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5],
    },
    discriminants: [],
    workingPoints: [0.1, 0.01, 0.001],
    parameters: {},
    ...overrides,
  };
}
