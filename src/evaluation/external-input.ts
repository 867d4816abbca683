/**
 * Reading a tagger's output written by another framework (a weaver prediction ROOT file,
 * a NanoAOD file with stored tagger scores, an `.npz` file) into evaluation columns.
 * ROOT branches go through src/root; jagged branches (one value per jet in per-event
 * collections, such as NanoAOD's Jet_*) are used flat, one entry per jet.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeNpz } from '../dataset/npz.js';
import type { NdArray } from '../dataset/npy.js';
import { ConfigError, InputError, UnsupportedError, didYouMean } from '../errors.js';
import { readBranches } from '../root/index.js';
import type { EvaluationData, ReferenceTagger } from './discriminant-jets.js';
import { labelClassNames, type ColumnRef, type EvaluateConfig } from './evaluate-config.js';

/** Columns of every input file, concatenated in file order. */
export interface ExternalInput {
  data: EvaluationData;
  references: ReferenceTagger[];
  /** Jets per file, in file order. */
  jetsPerFile: number[];
  /** Jets whose labels matched no class (label -1), summed over files. */
  numUnknown: number;
  /** Process index per jet [jets], into the config's `processes`; undefined without `input.process`. */
  processIndex?: Int32Array;
}

type ColumnReader = (ref: ColumnRef, role: string) => Float64Array;

/**
 * Reads the configured columns of each file (`.root` or `.npz`) and builds the labels,
 * probabilities [jets, classes], kinematics, weights and reference-tagger scores.
 *
 * A one-hot jet with no flag set gets label -1 (unknown); a jet with two flags set is an
 * InputError naming the file and entry. Throws an InputError for missing files, branches
 * or arrays (with the closest names) and for columns of different lengths in one file,
 * and an UnsupportedError for other file types.
 */
export async function readExternalInput(files: readonly string[], config: EvaluateConfig): Promise<ExternalInput> {
  if (files.length === 0) throw new InputError('no input files given; name at least one .root or .npz file');
  const classNames = labelClassNames(config.input.labels);
  const perFile: Array<{ labels: Int32Array; columns: Map<string, Float64Array> }> = [];
  const jetsPerFile: number[] = [];
  let numUnknown = 0;

  for (const file of files) {
    const read = await openColumns(file, config);
    const labels = buildLabels(file, config, read);
    for (const label of labels) if (label < 0) numUnknown++;
    const columns = new Map<string, Float64Array>();
    const input = config.input;
    input.scores?.forEach((ref, k) => columns.set(`score:${k}`, read(ref, `score of class ${classNames[k]}`)));
    if (input.pt) columns.set('pt', read(input.pt, 'pt'));
    if (input.eta) columns.set('eta', read(input.eta, 'eta'));
    if (input.weight) columns.set('weight', read(input.weight, 'weight'));
    if (input.process) columns.set('process', read(input.process, 'process index'));
    for (const reference of config.referenceTaggers) columns.set(`reference:${reference.name}`, read(reference.score, `score of reference tagger ${reference.name}`));
    for (const [key, column] of columns) {
      if (column.length !== labels.length) {
        throw new InputError(`${file}: column for ${key} has ${column.length} values but the labels have ${labels.length}; all columns must have one value per jet`, { file });
      }
    }
    perFile.push({ labels, columns });
    jetsPerFile.push(labels.length);
  }

  const numJets = jetsPerFile.reduce((a, b) => a + b, 0);
  const concat = (key: string): Float64Array | undefined => {
    if (!perFile[0].columns.has(key)) return undefined;
    const out = new Float64Array(numJets);
    let offset = 0;
    for (const { columns } of perFile) {
      const column = columns.get(key) as Float64Array;
      out.set(column, offset);
      offset += column.length;
    }
    return out;
  };
  const labels = new Int32Array(numJets);
  let offset = 0;
  for (const entry of perFile) {
    labels.set(entry.labels, offset);
    offset += entry.labels.length;
  }

  const data: EvaluationData = { classNames, labels };
  if (config.input.scores !== undefined) {
    const probabilities = new Float32Array(numJets * classNames.length);
    classNames.forEach((_, k) => {
      const column = concat(`score:${k}`) as Float64Array;
      for (let jet = 0; jet < numJets; jet++) probabilities[jet * classNames.length + k] = column[jet];
    });
    data.probabilities = probabilities;
  }
  const pt = concat('pt');
  const eta = concat('eta');
  const weight = concat('weight');
  if (pt) data.pt = pt;
  if (eta) data.eta = eta;
  if (weight) data.weights = weight;
  if (config.tagger !== undefined) data.label = config.tagger;
  const references = config.referenceTaggers.map((reference) => ({
    name: reference.name,
    signal: reference.signal,
    background: reference.background,
    scores: concat(`reference:${reference.name}`) as Float64Array,
  }));
  const result: ExternalInput = { data, references, jetsPerFile, numUnknown };
  const process = concat('process');
  if (process) result.processIndex = toProcessIndex(process, config, files, jetsPerFile);
  return result;
}

/** Checks that every process value is a whole number naming a configured process. */
function toProcessIndex(values: Float64Array, config: EvaluateConfig, files: readonly string[], jetsPerFile: readonly number[]): Int32Array {
  const names = (config.processes ?? []).map((p) => p.name);
  const index = new Int32Array(values.length);
  for (let jet = 0; jet < values.length; jet++) {
    const value = values[jet];
    if (!Number.isInteger(value) || value < 0 || value >= names.length) {
      let fileIndex = 0;
      let first = jet;
      while (first >= jetsPerFile[fileIndex]) first -= jetsPerFile[fileIndex++];
      const file = files[fileIndex];
      throw new InputError(
        `${file}: jet ${first} has process index ${value} in column '${config.input.process?.name}'; ` +
          `expected a whole number from 0 to ${names.length - 1} naming one of the processes ${names.join(', ')}`,
        { file },
      );
    }
    index[jet] = value;
  }
  return index;
}

/** Every column reference of the config, for reading all branches of a ROOT file in one pass. */
function allRefs(config: EvaluateConfig): ColumnRef[] {
  const { input } = config;
  const refs: ColumnRef[] = input.labels.kind === 'one_hot' ? input.labels.flags.map((flag) => flag.column) : [input.labels.column];
  refs.push(...(input.scores ?? []));
  for (const ref of [input.pt, input.eta, input.weight, input.process]) if (ref) refs.push(ref);
  for (const reference of config.referenceTaggers) refs.push(reference.score);
  return refs;
}

async function openColumns(file: string, config: EvaluateConfig): Promise<ColumnReader> {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.root') return openRootColumns(file, config);
  if (extension === '.npz') return openNpzColumns(file);
  throw new UnsupportedError(`cannot evaluate ${file}: only .root and .npz files are supported`, { file });
}

async function openRootColumns(file: string, config: EvaluateConfig): Promise<ColumnReader> {
  const refs = allRefs(config);
  for (const ref of refs) {
    if (ref.column !== undefined) {
      throw new ConfigError(`column ${ref.column} of '${ref.name}' is requested, but ${file} is a ROOT file; column indexes apply only to 2-D .npz arrays`, { file });
    }
  }
  const tree = config.input.tree;
  const columns = await readBranches(file, tree, [...new Set(refs.map((ref) => ref.name))]);
  return (ref) => {
    const flat = columns.flat.get(ref.name);
    if (flat !== undefined) return Float64Array.from(flat);
    const jagged = columns.jagged.get(ref.name);
    if (jagged !== undefined) return Float64Array.from(jagged.values);
    throw new InputError(`branch '${ref.name}' was not read from ${file}`, { file, tree, branch: ref.name });
  };
}

async function openNpzColumns(file: string): Promise<ColumnReader> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file }, { cause: error });
  }
  const arrays = decodeNpz(bytes, file);
  return (ref, role) => {
    const array = arrays.get(ref.name);
    if (array === undefined) {
      const names = [...arrays.keys()];
      throw new InputError(`${file} has no array '${ref.name}' (${role}); it has ${names.join(', ')}.${didYouMean(ref.name, names)}`, { file });
    }
    return npzColumn(file, ref, role, array);
  };
}

function npzColumn(file: string, ref: ColumnRef, role: string, array: NdArray): Float64Array {
  const shape = `[${array.shape.join(', ')}]`;
  if (ref.column === undefined) {
    if (array.shape.length === 1 || (array.shape.length === 2 && array.shape[1] === 1)) return Float64Array.from(array.data);
    throw new InputError(`array '${ref.name}' (${role}) in ${file} has shape ${shape}; give { array: ${ref.name}, column: N } to pick one column`, { file });
  }
  if (array.shape.length !== 2 || ref.column >= array.shape[1]) {
    throw new InputError(`array '${ref.name}' in ${file} has shape ${shape}, so it has no column ${ref.column} (${role}); expected a 2-D array [jets, columns]`, { file });
  }
  const [numJets, numColumns] = array.shape;
  const out = new Float64Array(numJets);
  for (let jet = 0; jet < numJets; jet++) out[jet] = array.data[jet * numColumns + ref.column];
  return out;
}

function buildLabels(file: string, config: EvaluateConfig, read: ColumnReader): Int32Array {
  const spec = config.input.labels;
  if (spec.kind === 'integer') {
    const column = read(spec.column, 'label');
    const classOf = new Map<number, number>();
    spec.values.forEach((entry, index) => entry.values.forEach((value) => classOf.set(value, index)));
    return Int32Array.from(column, (value) => classOf.get(value) ?? -1);
  }
  const flags = spec.flags.map((flag) => read(flag.column, `label of class ${flag.className}`));
  const numJets = flags[0].length;
  for (const [k, column] of flags.entries()) {
    if (column.length !== numJets) {
      throw new InputError(`${file}: label column of class ${spec.flags[k].className} has ${column.length} values, that of ${spec.flags[0].className} ${numJets}`, { file });
    }
  }
  const labels = new Int32Array(numJets).fill(-1);
  for (let jet = 0; jet < numJets; jet++) {
    for (let k = 0; k < flags.length; k++) {
      if (flags[k][jet] === 0) continue;
      if (labels[jet] >= 0) {
        throw new InputError(
          `${file}: jet ${jet} has the labels of both class ${spec.flags[labels[jet]].className} and class ${spec.flags[k].className}; one-hot labels allow one class per jet`,
          { file, entryStart: jet, entryStop: jet + 1 },
        );
      }
      labels[jet] = k;
    }
  }
  return labels;
}
