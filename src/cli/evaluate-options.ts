/**
 * `bhive evaluate` without a config file: an evaluation config built from command-line
 * flags, with defaults for weaver prediction files (branches label_<class> and
 * score_label_<class>, tree Events).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_WORKING_POINTS, defaultEvaluationSettings, MAX_BOOTSTRAP_REPLICAS } from '../config/evaluation-section.js';
import type { DiscriminantSpec } from '../config/types.js';
import { decodeNpz } from '../dataset/npz.js';
import type { EvaluateConfig } from '../evaluation/evaluate-config.js';
import { ConfigError, InputError } from '../errors.js';
import { openTree } from '../root/index.js';
import type { ParsedArguments } from './args.js';

/** Options of `bhive evaluate` that build the config when --config is not given. */
export const EVALUATE_FLAG_OPTIONS = [
  'tree',
  'classes',
  'label-prefix',
  'score-prefix',
  'discriminants',
  'pt',
  'eta',
  'weight',
  'tagger',
  'working-points',
  'rejection-efficiencies',
  'bootstrap',
  'seed',
] as const;

export const DEFAULT_LABEL_PREFIX = 'label_';
export const DEFAULT_SCORE_PREFIX = 'score_label_';

function option(args: ParsedArguments, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Builds the evaluation config from flags. Classes come from --classes, else from the
 * first file: every X with both a label and a score column (label_X and score_label_X by
 * default). Discriminants come from --discriminants NAME=SIG+SIG/BKG+BKG,... and default
 * to each class against all the others (XvsAll).
 */
export async function configFromFlags(args: ParsedArguments, files: readonly string[], name: string): Promise<EvaluateConfig> {
  const labelPrefix = option(args, 'label-prefix') ?? DEFAULT_LABEL_PREFIX;
  const scorePrefix = option(args, 'score-prefix') ?? DEFAULT_SCORE_PREFIX;
  const tree = option(args, 'tree') ?? 'Events';
  const classesOption = option(args, 'classes');
  const classNames = classesOption !== undefined ? splitList(classesOption) : await detectClasses(files[0], tree, labelPrefix, scorePrefix);
  if (classNames.length < 2) {
    throw new ConfigError(
      `found ${classNames.length} class(es) with columns ${labelPrefix}<class> and ${scorePrefix}<class> in ${files[0]}; ` +
        'name the classes with --classes a,b,c (and --label-prefix, --score-prefix) or use --config FILE',
    );
  }

  const evaluation = defaultEvaluationSettings();
  const rejection = option(args, 'rejection-efficiencies');
  if (rejection !== undefined) evaluation.rejectionEfficiencies = parseFractions('rejection-efficiencies', rejection);
  const bootstrap = option(args, 'bootstrap');
  if (bootstrap !== undefined) {
    const replicas = Number(bootstrap);
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_BOOTSTRAP_REPLICAS) {
      throw new ConfigError(`invalid value '${bootstrap}' for --bootstrap: expected a number of replicas from 1 to ${MAX_BOOTSTRAP_REPLICAS}`);
    }
    const seed = Number(option(args, 'seed') ?? 1);
    if (!Number.isInteger(seed)) throw new ConfigError(`invalid value '${option(args, 'seed')}' for --seed: expected a whole number`);
    evaluation.bootstrap = { replicas, seed };
  }

  const config: EvaluateConfig = {
    name,
    input: {
      tree,
      labels: { kind: 'one_hot', flags: classNames.map((className) => ({ className, column: { name: `${labelPrefix}${className}` } })) },
      scores: classNames.map((className) => ({ name: `${scorePrefix}${className}` })),
    },
    discriminants: parseDiscriminants(option(args, 'discriminants'), classNames),
    referenceTaggers: [],
    workingPoints: option(args, 'working-points') === undefined ? [...DEFAULT_WORKING_POINTS] : parseFractions('working-points', option(args, 'working-points') as string),
    evaluation,
  };
  for (const key of ['pt', 'eta', 'weight'] as const) {
    const branch = option(args, key);
    if (branch !== undefined) config.input[key] = { name: branch };
  }
  if (option(args, 'weight') !== undefined) evaluation.useWeights = true;
  const tagger = option(args, 'tagger');
  if (tagger !== undefined) config.tagger = tagger;
  return config;
}

function splitList(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function parseFractions(optionName: string, text: string): number[] {
  return splitList(text).map((item) => {
    const value = Number(item);
    if (!(value > 0 && value < 1)) throw new ConfigError(`invalid value '${item}' in --${optionName}: expected fractions strictly between 0 and 1, such as 0.1,0.01`);
    return value;
  });
}

/**
 * Parses NAME=SIG+SIG/BKG+BKG entries separated by commas, such as
 * HbbVsHqq=H_bb/H_qq. Without the option, returns XvsAll for each class.
 */
export function parseDiscriminants(text: string | undefined, classNames: readonly string[]): DiscriminantSpec[] {
  if (text === undefined) {
    return classNames.map((name) => ({ name: `${name}vsAll`, signal: [name], background: classNames.filter((other) => other !== name) }));
  }
  return splitList(text).map((entry) => {
    const match = /^([A-Za-z][A-Za-z0-9_]*)=([^/]+)\/(.+)$/.exec(entry);
    if (!match) {
      throw new ConfigError(`invalid discriminant '${entry}' in --discriminants: expected NAME=SIGNAL+SIGNAL/BACKGROUND+BACKGROUND, such as HbbVsHqq=H_bb/H_qq`);
    }
    const [, name, signalText, backgroundText] = match;
    const signal = signalText.split('+');
    const background = backgroundText.split('+');
    for (const className of [...signal, ...background]) {
      if (!classNames.includes(className)) {
        throw new ConfigError(`discriminant '${name}' in --discriminants names class '${className}', which is not one of ${classNames.join(', ')}`);
      }
    }
    return { name, signal, background };
  });
}

async function detectClasses(file: string, tree: string, labelPrefix: string, scorePrefix: string): Promise<string[]> {
  const extension = path.extname(file).toLowerCase();
  let names: string[];
  if (extension === '.root') {
    names = (await openTree(file, tree)).branches;
  } else if (extension === '.npz') {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file }, { cause: error });
    }
    names = [...decodeNpz(bytes, file).keys()];
  } else {
    return [];
  }
  const available = new Set(names);
  return names
    .filter((name) => name.startsWith(labelPrefix) && !name.startsWith(scorePrefix))
    .map((name) => name.slice(labelPrefix.length))
    .filter((className) => className !== '' && available.has(`${scorePrefix}${className}`));
}
