/**
 * A simulated jet sample in the NANOX layout. It is a toy model, not a detector
 * simulation: it reproduces the features that make flavour tagging possible, with
 * plausible scales, so that the chain can be run and tested without CMS files.
 *
 * - b jets (and bb, leptonic b) contain a hadron of mass 5.3 GeV with cτ = 450 µm: about
 *   half of their tracks come from its decay and have impact parameters of order cτ, and
 *   they usually have a secondary vertex of mass around 2.4 GeV, well displaced.
 * - c jets are in between: mass 1.9 GeV, cτ = 200 µm, fewer displaced tracks and vertices
 *   of about 1.2 GeV.
 * - light-quark and gluon jets are prompt: impact parameters are detector resolution
 *   (20 µm plus multiple scattering), and a few have a light (0.5 GeV) long-lived-hadron
 *   vertex. Gluon jets have more particles.
 *
 * Lengths are in cm and momenta in GeV, like the CMS ntuples; `global_pt` and `sv_pt`
 * hold log10 of the pT, as in the NANOX files. Each value is drawn from the seeded `Random`.
 */

import type { Random } from '../random.js';
import type { ColumnValues } from '../root/writer/index.js';
import { chargedFeatures, dataEventBranches, neutralFeatures, taggingFeatures, truthFlags, truthProperties, vertexFeatures } from './schema.js';

/** Flavour categories: the truth flag set for each, and the physics parameters of its jets. */
interface Flavour {
  flag: (typeof truthFlags)[number];
  fraction: number;
  /** Mass (GeV) and cτ (cm) of the decaying hadron; cτ 0 for prompt jets. */
  mass: number;
  ctau: number;
  /** Fraction of charged candidates from the displaced decay. */
  displacedFraction: number;
  /** Mean number of secondary vertices, and their mass (GeV) as mean and width. */
  meanVertices: number;
  vertexMass: [number, number];
  /** Extra charged and neutral candidates on average. */
  extraCharged: number;
  extraNeutral: number;
}

const heavy = { mass: 5.3, ctau: 0.045, displacedFraction: 0.55, vertexMass: [2.4, 0.7] as [number, number], extraCharged: 2, extraNeutral: 1 };
const charm = { mass: 1.9, ctau: 0.02, displacedFraction: 0.35, meanVertices: 0.6, vertexMass: [1.2, 0.35] as [number, number], extraCharged: 1, extraNeutral: 0.5 };
const prompt = { mass: 0.5, ctau: 0, displacedFraction: 0, meanVertices: 0.12, vertexMass: [0.5, 0.15] as [number, number], extraCharged: 0, extraNeutral: 0 };

/** The flavour mixture; fractions add up to 1. Pile-up, undefined and LLP jets are the ones the config drops. */
export const flavours: readonly Flavour[] = [
  { flag: 'jetorigin_isB', fraction: 0.18, ...heavy, meanVertices: 1.2 },
  { flag: 'jetorigin_isBB', fraction: 0.03, ...heavy, meanVertices: 1.8, extraCharged: 4 },
  { flag: 'jetorigin_isGBB', fraction: 0.01, ...heavy, meanVertices: 1.8, extraCharged: 4 },
  { flag: 'jetorigin_isLeptonic_B', fraction: 0.05, ...heavy, meanVertices: 1.1 },
  { flag: 'jetorigin_isLeptonic_C', fraction: 0.01, ...heavy, meanVertices: 1.1 },
  { flag: 'jetorigin_isC', fraction: 0.12, ...charm },
  { flag: 'jetorigin_isCC', fraction: 0.01, ...charm, meanVertices: 0.9 },
  { flag: 'jetorigin_isGCC', fraction: 0.01, ...charm, meanVertices: 0.9 },
  { flag: 'jetorigin_isUD', fraction: 0.22, ...prompt },
  { flag: 'jetorigin_isS', fraction: 0.11, ...prompt, meanVertices: 0.2 },
  { flag: 'jetorigin_isG', fraction: 0.21, ...prompt, extraCharged: 3, extraNeutral: 4 },
  { flag: 'jetorigin_isPU', fraction: 0.02, ...prompt, extraCharged: -2, extraNeutral: -2 },
  { flag: 'jetorigin_isUndefined', fraction: 0.01, ...prompt },
  { flag: 'jetorigin_fromLLP', fraction: 0.01, ...heavy, ctau: 1, meanVertices: 1 },
];

const maxCharged = 40;
const maxNeutral = 40;
const maxVertices = 6;

function poisson(random: Random, mean: number): number {
  if (mean <= 0) return 0;
  const limit = Math.exp(-mean);
  let count = 0;
  let product = random.uniform();
  while (product > limit) {
    count++;
    product *= random.uniform();
  }
  return count;
}

function exponential(random: Random, mean: number): number {
  return -Math.log(1 - random.uniform()) * mean;
}

function pickFlavour(random: Random): number {
  let u = random.uniform();
  for (let k = 0; k < flavours.length - 1; k++) {
    u -= flavours[k].fraction;
    if (u < 0) return k;
  }
  return flavours.length - 1;
}

/** Float32 arrays by branch name, filled up to `size`. */
class Columns {
  readonly arrays = new Map<string, Float32Array>();

  constructor(names: readonly string[], capacity: number) {
    for (const name of names) this.arrays.set(name, new Float32Array(capacity));
  }

  set(name: string, index: number, value: number): void {
    const array = this.arrays.get(name);
    if (array === undefined) throw new Error(`no simulated column ${name}`);
    array[index] = value;
  }

  trimmed(size: number): Record<string, Float32Array> {
    return Object.fromEntries([...this.arrays].map(([name, array]) => [name, array.slice(0, size)]));
  }
}

/**
 * Simulates `numJets` jets and returns one column per NANOX branch (see schema.ts).
 * @param withTruth false gives collision-data columns: no truth branches, and the per-event
 *   branches `xsecweight` 1, `isData` 1 and `processId` 0 instead.
 */
export function simulateJets(numJets: number, random: Random, withTruth: boolean): Record<string, ColumnValues> {
  const jets = new Columns(['global_pt', 'global_eta', 'global_rho', ...truthProperties, ...taggingFeatures], numJets);
  const charged = new Columns(chargedFeatures, numJets * maxCharged);
  const neutral = new Columns(neutralFeatures, numJets * maxNeutral);
  const vertices = new Columns(vertexFeatures, numJets * maxVertices);
  const ncpf = new Int32Array(numJets);
  const nnpf = new Int32Array(numJets);
  const nsv = new Int32Array(numJets);
  const flags = new Map(truthFlags.map((flag) => [flag, new Int32Array(numJets)]));
  let numCharged = 0;
  let numNeutral = 0;
  let numVertices = 0;

  for (let jet = 0; jet < numJets; jet++) {
    const flavour = flavours[pickFlavour(random)];
    const flag = flags.get(flavour.flag);
    if (flag !== undefined) flag[jet] = 1;
    // A falling pT spectrum from 20 GeV (a power law), |η| < 2.4.
    const pt = Math.min(20 * Math.pow(1 - random.uniform(), -1 / 1.8), 1400);
    const eta = (2 * random.uniform() - 1) * 2.4;
    const momentum = 0.7 * pt * Math.cosh(eta);
    const flight = flavour.ctau > 0 ? Math.min((momentum / flavour.mass) * flavour.ctau * exponential(random, 1), 5) : 0;
    jets.set('global_pt', jet, Math.log10(pt));
    jets.set('global_eta', jet, eta);
    jets.set('global_rho', jet, 5 + 35 * random.uniform());
    jets.set('jetorigin_displacement', jet, flight);
    jets.set('jetorigin_ctau', jet, flavour.ctau);
    jets.set('jetorigin_decay_angle', jet, flavour.ctau > 0 ? 0.3 * random.uniform() : 0);

    const logPt = Math.log(pt / 20);
    nsv[jet] = Math.min(poisson(random, flavour.meanVertices), maxVertices);
    ncpf[jet] = Math.max(1, Math.min(poisson(random, 3 + 2.5 * logPt + flavour.extraCharged), maxCharged));
    nnpf[jet] = Math.min(poisson(random, Math.max(4 + 3 * logPt + flavour.extraNeutral, 0.5)), maxNeutral);

    simulateVertices(random, vertices, numVertices, nsv[jet], flavour, flight, eta);
    const tagging = simulateTracks(random, charged, numCharged, ncpf[jet], flavour, pt, nsv[jet] > 0);
    simulateNeutrals(random, neutral, numNeutral, nnpf[jet]);
    jets.set('csv_trackSumJetEtRatio', jet, tagging.sumPtFraction);
    jets.set('csv_trackSumJetDeltaR', jet, tagging.meanDeltaR);
    // Vertex categories as in CMS's CSV tagger: 0 a reconstructed vertex, 1 a pseudo-vertex of
    // two or more significant tracks, 2 neither.
    let vertexCategory = 2;
    if (nsv[jet] > 0) vertexCategory = 0;
    else if (tagging.numSignificant >= 2) vertexCategory = 1;
    jets.set('csv_vertexCategory', jet, vertexCategory);
    jets.set('csv_trackSip2dValAboveCharm', jet, tagging.aboveCharm2dValue);
    jets.set('csv_trackSip2dSigAboveCharm', jet, tagging.aboveCharm2dSignificance);
    jets.set('csv_trackSip3dValAboveCharm', jet, tagging.aboveCharm3dValue);
    jets.set('csv_trackSip3dSigAboveCharm', jet, tagging.aboveCharm3dSignificance);
    jets.set('csv_jetNSelectedTracks', jet, ncpf[jet]);
    jets.set('csv_jetNTracksEtaRel', jet, tagging.numEtaRel);
    numCharged += ncpf[jet];
    numNeutral += nnpf[jet];
    numVertices += nsv[jet];
  }

  const jetColumns = jets.trimmed(numJets);
  const dataValues: Record<(typeof dataEventBranches)[number], number> = { xsecweight: 1, isData: 1, processId: 0 };
  const truth: Record<string, ColumnValues> = withTruth
    ? { ...Object.fromEntries(flags), ...Object.fromEntries(truthProperties.map((name) => [name, jetColumns[name]])) }
    : Object.fromEntries(dataEventBranches.map((name) => [name, new Float32Array(numJets).fill(dataValues[name])]));
  for (const name of truthProperties) delete jetColumns[name];
  return { ...truth, ...jetColumns, ncpf, ...charged.trimmed(numCharged), nnpf, ...neutral.trimmed(numNeutral), nsv, ...vertices.trimmed(numVertices) };
}

interface TaggingSummary {
  sumPtFraction: number;
  meanDeltaR: number;
  numSignificant: number;
  numEtaRel: number;
  aboveCharm2dValue: number;
  aboveCharm2dSignificance: number;
  aboveCharm3dValue: number;
  aboveCharm3dSignificance: number;
}

/** Charged candidates of one jet at `start`, sorted by 2D impact-parameter significance (descending). */
function simulateTracks(random: Random, columns: Columns, start: number, count: number, flavour: Flavour, jetPt: number, hasVertex: boolean): TaggingSummary {
  const records: Array<{ values: Record<string, number>; significance: number }> = [];
  const weights = Array.from({ length: count }, () => exponential(random, 1));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const chargedFraction = 0.5 + 0.3 * random.uniform();
  for (let k = 0; k < count; k++) {
    const displaced = random.uniform() < flavour.displacedFraction;
    const ptFraction = (chargedFraction * weights[k]) / weightSum;
    const trackPt = Math.max(ptFraction * jetPt, 0.5);
    const ptRel = exponential(random, displaced ? 0.25 * flavour.mass : 0.5);
    const deltaR = Math.min(ptRel / trackPt, 0.4);
    // Impact parameters: lifetime-signed decay length scale cτ for displaced tracks, resolution otherwise.
    const resolution = 0.002 + 0.01 / trackPt;
    const trueIp = displaced ? flavour.ctau * exponential(random, 1) * (0.5 + random.uniform()) : 0;
    const ip2d = trueIp + resolution * random.normal();
    const ip3d = trueIp * (1 + 0.3 * Math.abs(random.normal())) + 1.3 * resolution * random.normal();
    const jetDistance = -Math.abs(0.002 * random.normal());
    let distanceToVertex = 0.4;
    if (hasVertex) distanceToVertex = displaced ? Math.abs(0.03 * random.normal()) : 0.1 + 0.3 * random.uniform();
    const values: Record<string, number> = {
      cpf_trackEtaRel: Math.min(Math.log((2 * trackPt) / Math.max(ptRel, 1e-3)), 10),
      cpf_trackPtRel: ptRel,
      cpf_trackPPar: trackPt * Math.cos(deltaR),
      cpf_trackDeltaR: deltaR,
      cpf_trackPtRatio: ptRel / trackPt,
      cpf_trackPParRatio: Math.cos(deltaR),
      cpf_trackSip2dVal: ip2d,
      cpf_trackSip2dSig: ip2d / resolution,
      cpf_trackSip3dVal: ip3d,
      cpf_trackSip3dSig: ip3d / (1.3 * resolution),
      cpf_trackJetDistVal: jetDistance,
      cpf_trackJetDistSig: jetDistance / resolution,
      cpf_ptrel: ptFraction,
      cpf_drminsv: distanceToVertex,
      cpf_vertex_association: displaced ? 0 : 3,
      cpf_puppi_weight: displaced ? 1 : Math.min(1, 0.8 + 0.3 * random.uniform()),
      cpf_track_chi2: Math.abs(1 + 0.5 * random.normal()),
      cpf_track_quality: random.uniform() < 0.9 ? 5 : 1,
      cpf_jetmassdroprel: random.uniform(),
      cpf_relIso01: exponential(random, 0.5),
    };
    records.push({ values, significance: values.cpf_trackSip2dSig });
  }
  records.sort((a, b) => b.significance - a.significance);

  const summary: TaggingSummary = {
    sumPtFraction: 0,
    meanDeltaR: 0,
    numSignificant: 0,
    numEtaRel: 0,
    aboveCharm2dValue: -1,
    aboveCharm2dSignificance: -1,
    aboveCharm3dValue: -1,
    aboveCharm3dSignificance: -1,
  };
  // The "above charm" variables: the first track (in significance order) at which the summed
  // transverse momentum relative to the jet exceeds the charm mass.
  let massProxy = 0;
  records.forEach((record, k) => {
    for (const [name, value] of Object.entries(record.values)) columns.set(name, start + k, value);
    summary.sumPtFraction += record.values.cpf_ptrel;
    summary.meanDeltaR += record.values.cpf_trackDeltaR / records.length;
    if (record.significance > 2) summary.numSignificant++;
    if (record.values.cpf_trackDeltaR < 0.3) summary.numEtaRel++;
    massProxy += record.values.cpf_trackPtRel;
    if (massProxy > 1.5 && summary.aboveCharm2dValue === -1) {
      summary.aboveCharm2dValue = record.values.cpf_trackSip2dVal;
      summary.aboveCharm2dSignificance = record.values.cpf_trackSip2dSig;
      summary.aboveCharm3dValue = record.values.cpf_trackSip3dVal;
      summary.aboveCharm3dSignificance = record.values.cpf_trackSip3dSig;
    }
  });
  return summary;
}

/** Neutral candidates of one jet at `start`, sorted by pT fraction (descending). */
function simulateNeutrals(random: Random, columns: Columns, start: number, count: number): void {
  const fractions = Array.from({ length: count }, () => exponential(random, 0.05)).sort((a, b) => b - a);
  fractions.forEach((fraction, k) => {
    const isGamma = random.uniform() < 0.6 ? 1 : 0;
    columns.set('npf_ptrel', start + k, fraction);
    columns.set('npf_deltaR', start + k, Math.min(Math.abs(0.15 * random.normal()), 0.4));
    columns.set('npf_isGamma', start + k, isGamma);
    columns.set('npf_hcal_fraction', start + k, isGamma ? 0 : random.uniform());
    columns.set('npf_drminsv', start + k, 0.4 * random.uniform());
    columns.set('npf_puppi_weight', start + k, random.uniform() < 0.7 ? 1 : random.uniform());
    columns.set('npf_jetmassdroprel', start + k, random.uniform());
    columns.set('npf_relIso01', start + k, exponential(random, 0.5));
  });
}

/** Secondary vertices of one jet at `start`, sorted by transverse flight significance (descending). */
function simulateVertices(random: Random, columns: Columns, start: number, count: number, flavour: Flavour, flight: number, eta: number): void {
  const records: Array<Record<string, number>> = [];
  for (let k = 0; k < count; k++) {
    // Light-jet vertices are long-lived light hadrons (K0s, Λ), several cm away.
    const distance = flavour.ctau > 0 ? flight * (0.6 + 0.4 * random.uniform()) : exponential(random, 1);
    const dxy = distance / Math.cosh(eta) + Math.abs(0.005 * random.normal());
    const d3d = distance + Math.abs(0.007 * random.normal());
    const numTracks = 2 + (flavour.ctau > 0 ? poisson(random, flavour.mass > 3 ? 2 : 0.6) : 0);
    const chi2 = Math.abs((2 + 1.5 * random.normal()) * numTracks) / 2;
    const mass = Math.max(0.3, flavour.vertexMass[0] + flavour.vertexMass[1] * random.normal());
    let energyRatio: number;
    if (flavour.ctau > 0) energyRatio = (flavour.mass > 3 ? 0.4 : 0.2) + 0.5 * random.uniform();
    else energyRatio = 0.05 + 0.35 * random.uniform();
    records.push({
      sv_pt: Math.log10(Math.max(energyRatio * 20 * (1 + 5 * random.uniform()), 1)),
      sv_mass: mass,
      sv_deltaR: Math.min(Math.abs((flavour.ctau > 0 ? 0.05 : 0.15) * random.normal()) + 0.005, 0.4),
      sv_ntracks: numTracks,
      sv_chi2: chi2,
      sv_normchi2: chi2 / Math.max(2 * numTracks - 3, 1),
      sv_dxy: dxy,
      sv_dxysig: dxy / (0.005 + 0.02 * dxy),
      sv_d3d: d3d,
      sv_d3dsig: d3d / (0.007 + 0.02 * d3d),
      sv_costhetasvpv: 1 - exponential(random, flavour.ctau > 0 ? 0.002 : 0.05),
      sv_enratio: energyRatio,
    });
  }
  records.sort((a, b) => b.sv_dxysig - a.sv_dxysig);
  records.forEach((values, k) => {
    for (const [name, value] of Object.entries(values)) columns.set(name, start + k, value);
  });
}
