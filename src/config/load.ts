/**
 * Loading and validating a physics configuration (YAML). Unknown keys, missing keys and
 * wrongly typed values raise a ConfigError that names the file and the key path.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import { ConfigError, didYouMean } from '../errors.js';
import type {
  BhiveConfig,
  CandidateGroup,
  Cuts,
  DiscriminantSpec,
  KinematicSource,
  Reweighting,
} from './types.js';
import {
  checkKeys,
  invalid,
  readBoolean,
  readEdges,
  readNumber,
  readObject,
  readPositiveInteger,
  readString,
  readStringList,
  requireKey,
  type ValidationContext,
  type YamlObject,
} from './validate.js';
import {
  DEFAULT_WORKING_POINTS,
  DISCRIMINANT_KEYS,
  readDiscriminantStyle,
  readEvaluationSection,
  readFractionList,
} from './evaluation-section.js';
import { readLabelGroups, readLabelPriority } from './labels-section.js';
import { readCandidateSource } from './candidates-section.js';
import { readDerivedFeatures, readExpression, readNonFinite, readProcesses } from './expressions-section.js';
import { readReferenceTaggers } from './reference-taggers-section.js';
import { readModelOptions } from './model-options-section.js';

const TOP_LEVEL_KEYS = [
  'name',
  'description',
  'processor',
  'inputs',
  'tree',
  'kinematics',
  'cuts',
  'global_features',
  'spectators',
  'selection',
  'derived_features',
  'non_finite',
  'processes',
  'candidates',
  'labels',
  'reweighting',
  'discriminants',
  'working_points',
  'evaluation',
  'reference_taggers',
  'model_options',
  'parameters',
] as const;

/** Read, parse and validate the configuration at `file`. */
export async function loadConfig(file: string): Promise<BhiveConfig> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read configuration file ${absolute}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      configFile: absolute,
    }, { cause: error });
  }
  return parseConfig(text, absolute);
}

/** Validate configuration text; `file` is used for error messages and relative paths. */
export function parseConfig(text: string, file: string): BhiveConfig {
  let document: unknown;
  try {
    document = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      throw new ConfigError(`${file} is not valid YAML: ${error.message}`, { configFile: file }, { cause: error });
    }
    throw error;
  }
  const ctx: ValidationContext = { file };
  const root = readObject(ctx, '(top level)', document);
  checkKeys(ctx, '', root, TOP_LEVEL_KEYS);

  const name = readString(ctx, 'name', requireKey(ctx, '', root, 'name'));
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) invalid(ctx, 'name', `'${name}' may contain only letters, digits, '_', '.' and '-', because it names output directories`);

  const candidates = readCandidates(ctx, requireKey(ctx, '', root, 'candidates'));
  const labels = readObject(ctx, 'labels', requireKey(ctx, '', root, 'labels'));
  checkKeys(ctx, 'labels', labels, ['classes', 'drop', 'priority']);
  const classes = readLabelGroups(ctx, 'labels.classes', requireKey(ctx, 'labels', labels, 'classes'));
  const drop = labels.drop === undefined ? [] : readLabelGroups(ctx, 'labels.drop', labels.drop);
  const classNames = classes.map((c) => c.name);

  const config: BhiveConfig = {
    name,
    path: file,
    description: root.description === undefined ? undefined : readString(ctx, 'description', root.description),
    tree: readString(ctx, 'tree', requireKey(ctx, '', root, 'tree')),
    inputs: readInputs(ctx, requireKey(ctx, '', root, 'inputs'), path.dirname(file)),
    kinematics: readKinematics(ctx, requireKey(ctx, '', root, 'kinematics')),
    cuts: root.cuts === undefined ? {} : readCuts(ctx, root.cuts),
    globalFeatures: readStringList(ctx, 'global_features', requireKey(ctx, '', root, 'global_features')),
    candidates,
    classes,
    drop,
    reweighting: readReweighting(ctx, requireKey(ctx, '', root, 'reweighting'), classNames),
    discriminants: root.discriminants === undefined ? [] : readDiscriminants(ctx, root.discriminants, classNames),
    workingPoints: root.working_points === undefined ? [...DEFAULT_WORKING_POINTS] : readWorkingPoints(ctx, root.working_points),
    parameters: root.parameters === undefined ? {} : readParameters(ctx, root.parameters),
  };
  if (root.processor !== undefined) config.processor = readString(ctx, 'processor', root.processor);
  if (root.spectators !== undefined) config.spectators = readStringList(ctx, 'spectators', root.spectators);
  if (root.derived_features !== undefined) config.derivedFeatures = readDerivedFeatures(ctx, root.derived_features);
  if (root.selection !== undefined) config.selection = readExpression(ctx, 'selection', root.selection);
  if (root.processes !== undefined) config.processes = readProcesses(ctx, root.processes);
  if (root.non_finite !== undefined) config.nonFinite = readNonFinite(ctx, root.non_finite, ['global', ...candidates.map((g) => g.name)]);
  if (labels.priority !== undefined) config.labelPriority = readLabelPriority(ctx, labels.priority, classNames);
  if (root.evaluation !== undefined) config.evaluation = readEvaluationSection(ctx, root.evaluation);
  if (root.model_options !== undefined) config.modelOptions = readModelOptions(ctx, root.model_options);
  if (root.reference_taggers !== undefined) {
    config.referenceTaggers = readReferenceTaggers(ctx, root.reference_taggers, config.spectators ?? [], classNames);
  }
  return config;
}

function readInputs(ctx: ValidationContext, value: unknown, configDir: string): BhiveConfig['inputs'] {
  const inputs = readObject(ctx, 'inputs', value);
  checkKeys(ctx, 'inputs', inputs, ['data_dir', 'samples']);
  const dataDir = inputs.data_dir === undefined ? configDir : path.resolve(configDir, readString(ctx, 'inputs.data_dir', inputs.data_dir));
  const samplesObject = readObject(ctx, 'inputs.samples', requireKey(ctx, 'inputs', inputs, 'samples'));
  const samples: Record<string, string[]> = {};
  for (const [sample, patterns] of Object.entries(samplesObject)) {
    if (!/^[A-Za-z0-9_-]+$/.test(sample)) invalid(ctx, `inputs.samples.${sample}`, `sample names may contain only letters, digits, '_' and '-'`);
    samples[sample] = readStringList(ctx, `inputs.samples.${sample}`, patterns);
  }
  if (Object.keys(samples).length === 0) invalid(ctx, 'inputs.samples', 'define at least one sample, such as train: [train_*.root]');
  return { dataDir, samples };
}

function readKinematicSource(ctx: ValidationContext, key: string, value: unknown): KinematicSource {
  const object = readObject(ctx, key, value);
  checkKeys(ctx, key, object, ['branch', 'log10', 'scale']);
  const source: KinematicSource = {
    branch: readString(ctx, `${key}.branch`, requireKey(ctx, key, object, 'branch')),
    log10: object.log10 === undefined ? false : readBoolean(ctx, `${key}.log10`, object.log10),
  };
  if (object.scale !== undefined) source.scale = readNumber(ctx, `${key}.scale`, object.scale);
  return source;
}

function readKinematics(ctx: ValidationContext, value: unknown): BhiveConfig['kinematics'] {
  const object = readObject(ctx, 'kinematics', value);
  checkKeys(ctx, 'kinematics', object, ['pt', 'eta', 'phi']);
  const kinematics: BhiveConfig['kinematics'] = {
    pt: readKinematicSource(ctx, 'kinematics.pt', requireKey(ctx, 'kinematics', object, 'pt')),
    eta: readKinematicSource(ctx, 'kinematics.eta', requireKey(ctx, 'kinematics', object, 'eta')),
  };
  if (object.phi !== undefined) kinematics.phi = readKinematicSource(ctx, 'kinematics.phi', object.phi);
  return kinematics;
}

function readCuts(ctx: ValidationContext, value: unknown): Cuts {
  const object = readObject(ctx, 'cuts', value);
  checkKeys(ctx, 'cuts', object, ['pt_min', 'pt_max', 'abs_eta_max']);
  const cuts: Cuts = {};
  if (object.pt_min !== undefined) cuts.ptMin = readNumber(ctx, 'cuts.pt_min', object.pt_min);
  if (object.pt_max !== undefined) cuts.ptMax = readNumber(ctx, 'cuts.pt_max', object.pt_max);
  if (object.abs_eta_max !== undefined) cuts.absEtaMax = readNumber(ctx, 'cuts.abs_eta_max', object.abs_eta_max);
  if (cuts.ptMin !== undefined && cuts.ptMax !== undefined && cuts.ptMin >= cuts.ptMax) {
    invalid(ctx, 'cuts.pt_max', `pt_max (${cuts.ptMax}) must be above pt_min (${cuts.ptMin})`);
  }
  return cuts;
}

function readCandidates(ctx: ValidationContext, value: unknown): CandidateGroup[] {
  if (!Array.isArray(value)) invalid(ctx, 'candidates', 'expected a list of candidate groups, each with name, counter, max_candidates and features');
  const names = new Set<string>();
  return value.map((item, i) => {
    const key = `candidates[${i}]`;
    const object = readObject(ctx, key, item);
    checkKeys(ctx, key, object, ['name', 'counter', 'match', 'link', 'sort_by', 'max_candidates', 'pad_value', 'features']);
    const name = readString(ctx, `${key}.name`, requireKey(ctx, key, object, 'name'));
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) invalid(ctx, `${key}.name`, `'${name}' must start with a letter and contain only letters, digits and '_', because it names arrays in the dataset files`);
    if (names.has(name) || ['global', 'label', 'weight', 'pt', 'eta'].includes(name)) {
      invalid(ctx, `${key}.name`, `'${name}' is already used; candidate group names must be unique and differ from global, label, weight, pt and eta`);
    }
    names.add(name);
    const features = readStringList(ctx, `${key}.features`, requireKey(ctx, key, object, 'features'));
    return {
      name,
      ...readCandidateSource(ctx, key, object, features),
      maxCandidates: readPositiveInteger(ctx, `${key}.max_candidates`, requireKey(ctx, key, object, 'max_candidates')),
      padValue: object.pad_value === undefined ? 0 : readNumber(ctx, `${key}.pad_value`, object.pad_value),
      features,
    };
  });
}

function checkClassName(ctx: ValidationContext, key: string, name: string, classNames: string[]): void {
  if (!classNames.includes(name)) {
    invalid(ctx, key, `'${name}' is not a class defined under labels.classes (${classNames.join(', ')}).${didYouMean(name, classNames)}`);
  }
}

function readReweighting(ctx: ValidationContext, value: unknown, classNames: string[]): Reweighting {
  const object = readObject(ctx, 'reweighting', value);
  checkKeys(ctx, 'reweighting', object, ['method', 'reference_class', 'pt_bins', 'eta_bins']);
  const method = object.method === undefined ? 'reference' : readString(ctx, 'reweighting.method', object.method);
  if (method !== 'reference' && method !== 'flat') invalid(ctx, 'reweighting.method', `expected 'reference' or 'flat', found '${method}'`);
  let referenceClass: string | undefined;
  if (method === 'reference' || object.reference_class !== undefined) {
    referenceClass = readString(ctx, 'reweighting.reference_class', requireKey(ctx, 'reweighting', object, 'reference_class'));
    checkClassName(ctx, 'reweighting.reference_class', referenceClass, classNames);
  }
  return {
    ...(object.method !== undefined ? { method } : {}),
    ...(referenceClass !== undefined ? { referenceClass } : {}),
    ptBins: readEdges(ctx, 'reweighting.pt_bins', requireKey(ctx, 'reweighting', object, 'pt_bins')),
    etaBins: readEdges(ctx, 'reweighting.eta_bins', requireKey(ctx, 'reweighting', object, 'eta_bins')),
  };
}

function readDiscriminants(ctx: ValidationContext, value: unknown, classNames: string[]): DiscriminantSpec[] {
  const object = readObject(ctx, 'discriminants', value);
  return Object.entries(object).map(([name, item]) => {
    const key = `discriminants.${name}`;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) invalid(ctx, key, `'${name}' must start with a letter and contain only letters, digits and '_', because it names output files`);
    const spec = readObject(ctx, key, item);
    checkKeys(ctx, key, spec, DISCRIMINANT_KEYS);
    const signal = readStringList(ctx, `${key}.signal`, requireKey(ctx, key, spec, 'signal'));
    const background = readStringList(ctx, `${key}.background`, requireKey(ctx, key, spec, 'background'));
    for (const c of signal) checkClassName(ctx, `${key}.signal`, c, classNames);
    for (const c of background) {
      checkClassName(ctx, `${key}.background`, c, classNames);
      if (signal.includes(c)) invalid(ctx, `${key}.background`, `class '${c}' is both signal and background`);
    }
    return { name, signal, background, ...readDiscriminantStyle(ctx, key, spec, background) };
  });
}

function readWorkingPoints(ctx: ValidationContext, value: unknown): number[] {
  return readFractionList(ctx, 'working_points', value, 'mistag rates', '[0.1, 0.01, 0.001]');
}

function readParameters(ctx: ValidationContext, value: unknown): Record<string, string | number | boolean> {
  const object: YamlObject = readObject(ctx, 'parameters', value);
  const result: Record<string, string | number | boolean> = {};
  for (const [name, item] of Object.entries(object)) {
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
      invalid(ctx, `parameters.${name}`, 'expected a string, number or boolean');
    }
    result[name] = item;
  }
  return result;
}
