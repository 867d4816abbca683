/**
 * Options of the ParticleTransformer model: reading, checking and resolving the four-vector
 * feature names to column indices of each candidate group.
 */

import { ConfigError, didYouMean } from '../errors.js';
import type { GroupLayout } from '../dataset/types.js';
import type { ModelInputLayout } from './classifier.js';
import type { JsonValue, OptionReader } from './options.js';
import type { FourVectorColumns } from './tfjs/pair-features.js';

const modelName = 'particle_transformer';

/** Names of a group's four-vector features: pT (GeV), η, φ (radians), and mass or energy (GeV). */
export interface FourVectorNames {
  pt: string;
  eta: string;
  phi: string;
  mass?: string;
  energy?: string;
}

/** The PFNano candidate features (configs/pfnano_jets.yml, group `pf`). */
export const defaultFourVector: FourVectorNames = {
  pt: 'JetPFCands_pt',
  eta: 'JetPFCands_eta',
  phi: 'JetPFCands_phi',
  mass: 'JetPFCands_mass',
};

export interface ParticleTransformerSettings {
  /** Candidate groups that become tokens, in sequence order. */
  groups: string[];
  /** Four-vector columns of each group in `groups`. */
  fourVectors: Record<string, FourVectorColumns>;
  /** Units of the per-candidate embedding layers; the last one is the token dimension. */
  embedDims: number[];
  /** Units of the hidden layers of the pair embedding, which ends in one value per head. */
  pairEmbedDims: number[];
  numHeads: number;
  numParticleBlocks: number;
  numClassBlocks: number;
  /** Hidden units of the feed-forward network in every attention block. */
  feedForwardDim: number;
  /** Units of the dense layers between the class token (with the global features) and the output. */
  denseLayers: number[];
  dropout: number;
  /** Bound on the normalised input features, in standard deviations. */
  inputClip: number;
}

/**
 * Defaults: a small configuration that trains in seconds per epoch on a CPU. The paper's
 * network (Qu, Li, Qian, arXiv:2202.03772) has embedDims [128, 512, 128], pairEmbedDims
 * [64, 64, 64], 8 heads, 8 particle blocks, 2 class blocks, feedForwardDim 512, no dense
 * layers in the head and dropout 0.1.
 * NOTE: those paper sizes are quoted from memory and were not rechecked against the paper.
 */
export const particleTransformerDefaults = {
  embedDims: [64, 32],
  pairEmbedDims: [16, 16],
  numHeads: 4,
  numParticleBlocks: 2,
  numClassBlocks: 1,
  feedForwardDim: 64,
  denseLayers: [64],
  dropout: 0.1,
  inputClip: 10,
} as const;

/** Read and check the ParticleTransformer options for `layout`. */
export function readParticleTransformerSettings(layout: ModelInputLayout, reader: OptionReader): ParticleTransformerSettings {
  const defaults = particleTransformerDefaults;
  const groupNames = layout.groups.map((g) => g.name);
  if (groupNames.length === 0) {
    throw new ConfigError(`model '${modelName}' needs at least one candidate group in the input layout; the configuration has none`);
  }
  const groups = reader.strings('groups', groupNames, groupNames);
  const embedDims = reader.sizes('embedDims', [...defaults.embedDims]);
  const pairEmbedDims = reader.sizes('pairEmbedDims', [...defaults.pairEmbedDims]);
  const numHeads = reader.number('numHeads', defaults.numHeads, { integer: true, min: 1 });
  const numParticleBlocks = reader.number('numParticleBlocks', defaults.numParticleBlocks, { integer: true, min: 0 });
  const numClassBlocks = reader.number('numClassBlocks', defaults.numClassBlocks, { integer: true, min: 1 });
  const feedForwardDim = reader.number('feedForwardDim', defaults.feedForwardDim, { integer: true, min: 1 });
  const denseLayers = reader.sizes('denseLayers', [...defaults.denseLayers]);
  const dropoutRate = reader.number('dropout', defaults.dropout, { min: 0, max: 0.9 });
  const inputClip = reader.number('inputClip', defaults.inputClip, { min: 0.1 });
  const fourVectorOption = reader.object('fourVector');

  if (new Set(groups).size !== groups.length) {
    throw new ConfigError(`option 'groups' of model '${modelName}' lists a group twice: ${groups.join(', ')}`, { configKey: 'groups' });
  }
  const tokenDim = embedDims[embedDims.length - 1];
  if (tokenDim % numHeads !== 0) {
    throw new ConfigError(
      `option 'numHeads' of model '${modelName}' is ${numHeads}, which does not divide the token dimension ${tokenDim} ` +
        `(the last entry of 'embedDims'); choose a divisor of ${tokenDim} or change 'embedDims'`,
      { configKey: 'numHeads' },
    );
  }

  const fourVectors: Record<string, FourVectorColumns> = {};
  for (const name of groups) {
    const group = layout.groups.find((g) => g.name === name);
    if (group === undefined) throw new Error(`group '${name}' passed the option check but is not in the layout`);
    const { names, keyPath } = fourVectorNamesFor(fourVectorOption, name);
    fourVectors[name] = resolveColumns(group, names, keyPath);
  }

  return {
    groups,
    fourVectors,
    embedDims,
    pairEmbedDims,
    numHeads,
    numParticleBlocks,
    numClassBlocks,
    feedForwardDim,
    denseLayers,
    dropout: dropoutRate,
    inputClip,
  };
}

/**
 * Return the four-vector names for `groupName`. An option with a `pt` key is one set of names
 * for every group, and an option keyed by group name has an entry per group. Without the
 * option, the PFNano defaults apply.
 */
function fourVectorNamesFor(option: { [key: string]: JsonValue } | undefined, groupName: string): { names: FourVectorNames; keyPath: string } {
  if (option === undefined) return { names: defaultFourVector, keyPath: 'fourVector' };
  if ('pt' in option) return { names: parseFourVectorNames(option, 'fourVector'), keyPath: 'fourVector' };
  const entry = option[groupName];
  const keyPath = `fourVector.${groupName}`;
  if (entry === undefined) {
    throw new ConfigError(
      `option 'fourVector' of model '${modelName}' is keyed by group name but has no entry for the group '${groupName}'; ` +
        `add '${keyPath}: { pt, eta, phi, mass }' or give one { pt, eta, phi, mass } for every group`,
      { configKey: keyPath },
    );
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw invalidFourVector(keyPath, entry);
  }
  return { names: parseFourVectorNames(entry, keyPath), keyPath };
}

function parseFourVectorNames(value: { [key: string]: JsonValue }, keyPath: string): FourVectorNames {
  const allowed = ['pt', 'eta', 'phi', 'mass', 'energy'];
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  const { pt, eta, phi, mass, energy } = value;
  const isName = (v: JsonValue | undefined): v is string => typeof v === 'string' && v.length > 0;
  const hasOneOf = (mass === undefined) !== (energy === undefined);
  if (unknown.length > 0 || !isName(pt) || !isName(eta) || !isName(phi) || !hasOneOf) throw invalidFourVector(keyPath, value);
  if (mass !== undefined && !isName(mass)) throw invalidFourVector(keyPath, value);
  if (energy !== undefined && !isName(energy)) throw invalidFourVector(keyPath, value);
  return mass !== undefined ? { pt, eta, phi, mass } : { pt, eta, phi, energy: energy as string };
}

function invalidFourVector(keyPath: string, value: JsonValue): ConfigError {
  return new ConfigError(
    `invalid option '${keyPath}' for model '${modelName}': expected feature names { "pt", "eta", "phi" } and exactly one of ` +
      `"mass" or "energy", found ${JSON.stringify(value)}`,
    { configKey: keyPath },
  );
}

function resolveColumns(group: GroupLayout, names: FourVectorNames, keyPath: string): FourVectorColumns {
  const column = (component: keyof FourVectorNames, feature: string): number => {
    const index = group.features.indexOf(feature);
    if (index < 0) {
      throw new ConfigError(
        `option '${keyPath}.${component}' of model '${modelName}' names the feature '${feature}', which the candidate group ` +
          `'${group.name}' does not have (features: ${group.features.join(', ')}).${didYouMean(feature, group.features)} ` +
          `ParticleTransformer needs each candidate's pT, eta, phi and mass or energy: set '${keyPath}' to the group's feature ` +
          `names, or add the features to the group in the configuration`,
        { configKey: `${keyPath}.${component}` },
      );
    }
    return index;
  };
  const columns: FourVectorColumns = { pt: column('pt', names.pt), eta: column('eta', names.eta), phi: column('phi', names.phi) };
  if (names.mass !== undefined) columns.mass = column('mass', names.mass);
  if (names.energy !== undefined) columns.energy = column('energy', names.energy);
  return columns;
}
