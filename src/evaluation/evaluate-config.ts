/**
 * The configuration of `bhive evaluate`: which columns of a tagger's output file (ROOT
 * branches or `.npz` arrays) hold the truth labels, the class scores, pT, η and weights,
 * which discriminants and reference taggers to evaluate, and the working points. The
 * `discriminants`, `working_points` and `evaluation` keys have the same syntax as in the
 * chain's configuration.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import {
  DEFAULT_WORKING_POINTS,
  DISCRIMINANT_KEYS,
  defaultEvaluationSettings,
  readDiscriminantStyle,
  readEvaluationSection,
  readFractionList,
} from '../config/evaluation-section.js';
import type { DiscriminantSpec, EvaluationSettings } from '../config/types.js';
import {
  checkKeys,
  invalid,
  readNumber,
  readObject,
  readString,
  readStringList,
  requireKey,
  type ValidationContext,
  type YamlObject,
} from '../config/validate.js';
import { ConfigError, didYouMean } from '../errors.js';
import { readExpression } from '../config/expressions-section.js';

/** A column of the input: a ROOT branch or `.npz` array by name, or one column of a 2-D `.npz` array [jets, columns]. */
export interface ColumnRef {
  name: string;
  /** Column index into a 2-D array; undefined for a 1-D array or a branch. */
  column?: number;
}

/** How the true class of each jet is read. */
export type LabelSpec =
  | { kind: 'one_hot'; flags: Array<{ className: string; column: ColumnRef }> }
  | { kind: 'integer'; column: ColumnRef; values: Array<{ className: string; values: number[] }> };

/** The columns read from each input file. */
export interface ExternalInputSpec {
  /** Tree name for ROOT files. */
  tree: string;
  labels: LabelSpec;
  /** Class probability column per class, in the order of the label classes; undefined for reference taggers only. */
  scores?: ColumnRef[];
  pt?: ColumnRef;
  eta?: ColumnRef;
  weight?: ColumnRef;
  /** Integer process index per jet, 0 .. processes - 1, naming `EvaluateConfig.processes`. */
  process?: ColumnRef;
}

/** A process of the `input.process` column: its index is its position in the `processes` list. */
export interface EvaluateProcessSpec {
  name: string;
  /** Cut on the evaluation jets of the process, over the columns pt, eta and weight. */
  evaluationSelection?: string;
}

/** A score stored in the input that is evaluated as it is, such as Jet_btagDeepFlavB. */
export interface ReferenceTaggerSpec {
  name: string;
  score: ColumnRef;
  signal: string[];
  background: string[];
}

export interface EvaluateConfig {
  /** Names the output directory. */
  name: string;
  /** Absolute path of the YAML file, when read from one. */
  path?: string;
  /** Tagger name put before discriminant names in legends. */
  tagger?: string;
  input: ExternalInputSpec;
  discriminants: DiscriminantSpec[];
  referenceTaggers: ReferenceTaggerSpec[];
  workingPoints: number[];
  evaluation: EvaluationSettings;
  /** Process names of the values 0, 1, ... of `input.process`; undefined without a process column. */
  processes?: EvaluateProcessSpec[];
}

const TOP_LEVEL_KEYS = ['name', 'description', 'tagger', 'input', 'discriminants', 'reference_taggers', 'working_points', 'evaluation', 'processes'];

/** Class names of the label specification, in order. */
export function labelClassNames(labels: LabelSpec): string[] {
  return labels.kind === 'one_hot' ? labels.flags.map((flag) => flag.className) : labels.values.map((entry) => entry.className);
}

/** Reads and validates an evaluation config file. Throws a ConfigError naming the file and key. */
export async function loadEvaluateConfig(file: string): Promise<EvaluateConfig> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read evaluation config ${absolute}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { configFile: absolute }, { cause: error });
  }
  return parseEvaluateConfig(text, absolute);
}

/** Validates evaluation config text; `file` is used in error messages. */
export function parseEvaluateConfig(text: string, file: string): EvaluateConfig {
  let document: unknown;
  try {
    document = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    if (error instanceof YAMLParseError) throw new ConfigError(`${file} is not valid YAML: ${error.message}`, { configFile: file }, { cause: error });
    throw error;
  }
  const ctx: ValidationContext = { file };
  const root = readObject(ctx, '(top level)', document);
  checkKeys(ctx, '', root, TOP_LEVEL_KEYS);
  const name = readString(ctx, 'name', requireKey(ctx, '', root, 'name'));
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) invalid(ctx, 'name', `'${name}' may contain only letters, digits, '_', '.' and '-', because it names the output directory`);

  const input = readInput(ctx, requireKey(ctx, '', root, 'input'));
  const classNames = labelClassNames(input.labels);
  const config: EvaluateConfig = {
    name,
    path: file,
    input,
    discriminants: root.discriminants === undefined ? [] : readDiscriminants(ctx, root.discriminants, classNames),
    referenceTaggers: root.reference_taggers === undefined ? [] : readReferenceTaggers(ctx, root.reference_taggers, classNames),
    workingPoints: root.working_points === undefined ? [...DEFAULT_WORKING_POINTS] : readFractionList(ctx, 'working_points', root.working_points, 'mistag rates', '[0.1, 0.01, 0.001]'),
    evaluation: root.evaluation === undefined ? defaultEvaluationSettings() : readEvaluationSection(ctx, root.evaluation),
  };
  if (root.tagger !== undefined) config.tagger = readString(ctx, 'tagger', root.tagger);
  if (root.processes !== undefined) config.processes = readEvaluateProcesses(ctx, root.processes);
  if ((input.process === undefined) !== (config.processes === undefined)) {
    invalid(ctx, input.process === undefined ? 'processes' : 'input.process', 'give both input.process (the process index column) and processes (the name of each index value), or neither');
  }
  if (config.discriminants.length > 0 && input.scores === undefined) {
    invalid(ctx, 'input.scores', 'discriminants are computed from class scores; give one score column per class under input.scores');
  }
  if (config.discriminants.length + config.referenceTaggers.length === 0) {
    invalid(ctx, 'discriminants', 'define at least one discriminant or reference tagger to evaluate');
  }
  return config;
}

/** Reads a column reference: a name, or { array: NAME, column: INDEX } for a column of a 2-D .npz array. */
export function readColumnRef(ctx: ValidationContext, key: string, value: unknown): ColumnRef {
  if (typeof value === 'string') return { name: readString(ctx, key, value) };
  const object = readObject(ctx, key, value);
  checkKeys(ctx, key, object, ['array', 'column']);
  const name = readString(ctx, `${key}.array`, requireKey(ctx, key, object, 'array'));
  const column = readNumber(ctx, `${key}.column`, requireKey(ctx, key, object, 'column'));
  if (!Number.isInteger(column) || column < 0) invalid(ctx, `${key}.column`, `expected a column index of 0 or more, found ${column}`);
  return { name, column };
}

function readInput(ctx: ValidationContext, value: unknown): ExternalInputSpec {
  const object = readObject(ctx, 'input', value);
  checkKeys(ctx, 'input', object, ['tree', 'labels', 'scores', 'pt', 'eta', 'weight', 'process']);
  const labels = readLabels(ctx, requireKey(ctx, 'input', object, 'labels'));
  const classNames = labelClassNames(labels);
  const input: ExternalInputSpec = { tree: object.tree === undefined ? 'Events' : readString(ctx, 'input.tree', object.tree), labels };
  if (object.scores !== undefined) {
    const scores = readObject(ctx, 'input.scores', object.scores);
    checkKeys(ctx, 'input.scores', scores, classNames);
    input.scores = classNames.map((className) => {
      if (scores[className] === undefined) invalid(ctx, 'input.scores', `class '${className}' has no score column; give one for each of ${classNames.join(', ')}`);
      return readColumnRef(ctx, `input.scores.${className}`, scores[className]);
    });
  }
  for (const key of ['pt', 'eta', 'weight', 'process'] as const) {
    if (object[key] !== undefined) input[key] = readColumnRef(ctx, `input.${key}`, object[key]);
  }
  return input;
}

/** Reads `processes`: a list of { name, evaluation_selection }, in the order of the index values 0, 1, ... */
function readEvaluateProcesses(ctx: ValidationContext, value: unknown): EvaluateProcessSpec[] {
  if (!Array.isArray(value) || value.length === 0) {
    invalid(ctx, 'processes', 'expected a list with one entry per process index value, such as [{ name: ttbar, evaluation_selection: "pt > 30" }, { name: qcd }]');
  }
  const names = new Set<string>();
  return value.map((item, i) => {
    const key = `processes[${i}]`;
    const object = readObject(ctx, key, item);
    checkKeys(ctx, key, object, ['name', 'evaluation_selection']);
    const name = readString(ctx, `${key}.name`, requireKey(ctx, key, object, 'name'));
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) invalid(ctx, `${key}.name`, `'${name}' must start with a letter and contain only letters, digits, '_' and '-'`);
    if (names.has(name)) invalid(ctx, `${key}.name`, `process '${name}' is listed twice`);
    names.add(name);
    const spec: EvaluateProcessSpec = { name };
    if (object.evaluation_selection !== undefined) spec.evaluationSelection = readExpression(ctx, `${key}.evaluation_selection`, object.evaluation_selection);
    return spec;
  });
}

function readLabels(ctx: ValidationContext, value: unknown): LabelSpec {
  const object = readObject(ctx, 'input.labels', value);
  checkKeys(ctx, 'input.labels', object, ['one_hot', 'column', 'values']);
  if (object.one_hot !== undefined) {
    if (object.column !== undefined || object.values !== undefined) invalid(ctx, 'input.labels', 'give either one_hot, or column with values, not both');
    const flags = readObject(ctx, 'input.labels.one_hot', object.one_hot);
    const entries = Object.entries(flags).map(([className, ref]) => ({ className: checkClassName(ctx, `input.labels.one_hot.${className}`, className), column: readColumnRef(ctx, `input.labels.one_hot.${className}`, ref) }));
    if (entries.length < 2) invalid(ctx, 'input.labels.one_hot', 'define at least two classes, each with its label column');
    return { kind: 'one_hot', flags: entries };
  }
  if (object.column === undefined) invalid(ctx, 'input.labels', 'give one_hot (a label column per class) or column with values (an integer label column)');
  const column = readColumnRef(ctx, 'input.labels.column', object.column);
  const valuesObject = readObject(ctx, 'input.labels.values', requireKey(ctx, 'input.labels', object, 'values'));
  const seen = new Map<number, string>();
  const values = Object.entries(valuesObject).map(([className, list]) => {
    const key = `input.labels.values.${className}`;
    checkClassName(ctx, key, className);
    if (!Array.isArray(list) || list.length === 0) invalid(ctx, key, 'expected a non-empty list of label values, such as [5]');
    const numbers = list.map((item, i) => {
      const number = readNumber(ctx, `${key}[${i}]`, item);
      if (!Number.isInteger(number)) invalid(ctx, `${key}[${i}]`, `expected a whole number, found ${number}`);
      const other = seen.get(number);
      if (other !== undefined) invalid(ctx, key, `label value ${number} is already given to class '${other}'`);
      seen.set(number, className);
      return number;
    });
    return { className, values: numbers };
  });
  if (values.length < 2) invalid(ctx, 'input.labels.values', 'define at least two classes, each with its label values');
  return { kind: 'integer', column, values };
}

function checkClassName(ctx: ValidationContext, key: string, name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) invalid(ctx, key, `class name '${name}' must start with a letter and contain only letters, digits and '_'`);
  return name;
}

function checkClasses(ctx: ValidationContext, key: string, names: readonly string[], classNames: readonly string[]): void {
  for (const name of names) {
    if (!classNames.includes(name)) invalid(ctx, key, `'${name}' is not a class defined under input.labels (${classNames.join(', ')}).${didYouMean(name, classNames)}`);
  }
}

function readSignalBackground(ctx: ValidationContext, key: string, spec: YamlObject, classNames: readonly string[]): { signal: string[]; background: string[] } {
  const signal = readStringList(ctx, `${key}.signal`, requireKey(ctx, key, spec, 'signal'));
  const background = readStringList(ctx, `${key}.background`, requireKey(ctx, key, spec, 'background'));
  checkClasses(ctx, `${key}.signal`, signal, classNames);
  checkClasses(ctx, `${key}.background`, background, classNames);
  for (const name of background) if (signal.includes(name)) invalid(ctx, `${key}.background`, `class '${name}' is both signal and background`);
  return { signal, background };
}

function readDiscriminants(ctx: ValidationContext, value: unknown, classNames: readonly string[]): DiscriminantSpec[] {
  const object = readObject(ctx, 'discriminants', value);
  return Object.entries(object).map(([name, item]) => {
    const key = `discriminants.${name}`;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) invalid(ctx, key, `'${name}' must start with a letter and contain only letters, digits and '_', because it names output files`);
    const spec = readObject(ctx, key, item);
    checkKeys(ctx, key, spec, DISCRIMINANT_KEYS);
    const { signal, background } = readSignalBackground(ctx, key, spec, classNames);
    return { name, signal, background, ...readDiscriminantStyle(ctx, key, spec, background) };
  });
}

function readReferenceTaggers(ctx: ValidationContext, value: unknown, classNames: readonly string[]): ReferenceTaggerSpec[] {
  const object = readObject(ctx, 'reference_taggers', value);
  return Object.entries(object).map(([name, item]) => {
    const key = `reference_taggers.${name}`;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) invalid(ctx, key, `'${name}' must start with a letter and contain only letters, digits and '_', because it names output files`);
    const spec = readObject(ctx, key, item);
    checkKeys(ctx, key, spec, ['score', 'signal', 'background']);
    return { name, score: readColumnRef(ctx, `${key}.score`, requireKey(ctx, key, spec, 'score')), ...readSignalBackground(ctx, key, spec, classNames) };
  });
}
