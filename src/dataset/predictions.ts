/**
 * The predictions file written by inference, `predictions.npz`:
 * `probabilities` float32 [jets, classes], `label` int32 [jets] (-1 where unknown),
 * `weight`, `pt` (GeV) and `eta` float32 [jets], optional `spectators` float32 [jets, names]
 * and `process` int32 [jets], and `classes.json`-style class and process names kept beside
 * it in `predictions.json`. `predictionColumns` gives the same content as one
 * column per jet quantity, the layout of the `predictions` TTree.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { decodeNpz, encodeNpz } from './npz.js';
import type { NdArray } from './npy.js';

export interface Predictions {
  classes: string[];
  /** float32 [jets, classes], rows summing to 1. */
  probabilities: Float32Array;
  label: Int32Array;
  weight: Float32Array;
  pt: Float32Array;
  eta: Float32Array;
  /** Spectator values of the dataset (such as a production tagger's score), [jets, names]. */
  spectators?: { names: string[]; values: Float32Array };
  /** Physics process of each jet: `index` int32 [jets] into `names`. */
  processes?: { names: string[]; index: Int32Array };
}

/** Write predictions as an .npz file (temporary name, then rename). */
export async function writePredictions(file: string, predictions: Predictions): Promise<void> {
  const numJets = predictions.label.length;
  const numClasses = predictions.classes.length;
  if (predictions.probabilities.length !== numJets * numClasses) {
    throw new Error(`probabilities hold ${predictions.probabilities.length} values; expected [${numJets}, ${numClasses}]`);
  }
  const column = (data: Float32Array | Int32Array): NdArray => ({ dtype: data instanceof Int32Array ? '<i4' : '<f4', shape: [numJets], data });
  const bytes = encodeNpz(
    [
      ['probabilities', { dtype: '<f4', shape: [numJets, numClasses], data: predictions.probabilities }],
      ['label', column(predictions.label)],
      ['weight', column(predictions.weight)],
      ['pt', column(predictions.pt)],
      ['eta', column(predictions.eta)],
      ...(predictions.spectators
        ? [['spectators', { dtype: '<f4', shape: [numJets, predictions.spectators.names.length], data: predictions.spectators.values }] as [string, NdArray]]
        : []),
      ...(predictions.processes ? [['process', column(predictions.processes.index)] as [string, NdArray]] : []),
    ],
    true,
  );
  await writeFile(`${file}.partial`, bytes);
  await rename(`${file}.partial`, file);
}

/**
 * Read a predictions .npz file written by `writePredictions`, with the class names given.
 * The spectators and the process index are returned when their names are given and the
 * file has the array.
 * @throws InputError naming the file for a missing array or a wrong dtype or shape.
 */
export async function readPredictions(
  file: string,
  classes: string[],
  extras: { spectators?: string[]; processes?: string[] } = {},
): Promise<Predictions> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new InputError(`cannot read predictions file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file }, { cause: error });
  }
  const arrays = decodeNpz(bytes, file);
  const get = (name: string): NdArray => {
    const array = arrays.get(name);
    if (!array) throw new InputError(`predictions file ${file} has no array '${name}'`, { file });
    return array;
  };
  const probabilities = get('probabilities');
  const numJets = probabilities.shape[0];
  if (probabilities.shape.length !== 2 || probabilities.shape[1] !== classes.length || !(probabilities.data instanceof Float32Array)) {
    throw new InputError(`predictions file ${file}: 'probabilities' has shape [${probabilities.shape.join(', ')}]; expected float32 [jets, ${classes.length}]`, { file });
  }
  const float = (name: string): Float32Array => {
    const array = get(name);
    if (!(array.data instanceof Float32Array) || array.data.length !== numJets) {
      throw new InputError(`predictions file ${file}: '${name}' must be float32 [${numJets}]`, { file });
    }
    return array.data;
  };
  const label = get('label');
  if (!(label.data instanceof Int32Array) || label.data.length !== numJets) {
    throw new InputError(`predictions file ${file}: 'label' must be int32 [${numJets}]`, { file });
  }
  const predictions: Predictions = { classes, probabilities: probabilities.data, label: label.data, weight: float('weight'), pt: float('pt'), eta: float('eta') };
  const spectators = arrays.get('spectators');
  const spectatorNames = extras.spectators ?? [];
  if (spectators && spectatorNames.length > 0) {
    if (!(spectators.data instanceof Float32Array) || spectators.data.length !== numJets * spectatorNames.length) {
      throw new InputError(`predictions file ${file}: 'spectators' must be float32 [${numJets}, ${spectatorNames.length}] for ${spectatorNames.join(', ')}`, { file });
    }
    predictions.spectators = { names: spectatorNames, values: spectators.data };
  }
  const process = arrays.get('process');
  const processNames = extras.processes ?? [];
  if (process && processNames.length > 0) {
    if (!(process.data instanceof Int32Array) || process.data.length !== numJets) {
      throw new InputError(`predictions file ${file}: 'process' must be int32 [${numJets}]`, { file });
    }
    for (const index of process.data) {
      if (index < 0 || index >= processNames.length) {
        throw new InputError(`predictions file ${file}: process index ${index} is outside 0-${processNames.length - 1} (${processNames.join(', ')})`, { file });
      }
    }
    predictions.processes = { names: processNames, index: process.data };
  }
  return predictions;
}

/** One per-jet column of the predictions, [jets]. */
export interface PredictionColumn {
  name: string;
  values: Float32Array | Int32Array;
}

/**
 * Splits predictions into per-jet columns: `pt` (GeV), `eta`, `weight`, `label`, then
 * `prob_<class>` for every class, the spectators, the process index `process` when present
 * and, when every jet has a known label, the one-hot truth
 * `is<class>` (1 for the jet's class, 0 otherwise). Unlabelled jets (label -1, as in
 * collision data) get no `is<class>` columns.
 */
export function predictionColumns(predictions: Predictions): PredictionColumn[] {
  const numJets = predictions.label.length;
  const numClasses = predictions.classes.length;
  const columns: PredictionColumn[] = [
    { name: 'pt', values: predictions.pt },
    { name: 'eta', values: predictions.eta },
    { name: 'weight', values: predictions.weight },
    { name: 'label', values: predictions.label },
  ];
  predictions.classes.forEach((name, k) => {
    const values = new Float32Array(numJets);
    for (let i = 0; i < numJets; i++) values[i] = predictions.probabilities[i * numClasses + k];
    columns.push({ name: `prob_${name}`, values });
  });
  const spectators = predictions.spectators;
  if (spectators) {
    const width = spectators.names.length;
    spectators.names.forEach((name, k) => {
      const values = new Float32Array(numJets);
      for (let i = 0; i < numJets; i++) values[i] = spectators.values[i * width + k];
      // Branch names keep letters, digits and '_' (ATLAS's 'Aux.x' becomes 'Aux_x'); a name
      // that a prediction column already uses gets the prefix 'spectator_'.
      const branch = name.replace(/[^A-Za-z0-9_]/g, '_');
      const taken = columns.some((column) => column.name === branch);
      columns.push({ name: taken ? `spectator_${branch}` : branch, values });
    });
  }
  if (predictions.processes) columns.push({ name: 'process', values: predictions.processes.index });
  if (predictions.label.every((label) => label >= 0)) {
    predictions.classes.forEach((name, k) => {
      const values = new Int32Array(numJets);
      for (let i = 0; i < numJets; i++) values[i] = predictions.label[i] === k ? 1 : 0;
      columns.push({ name: `is${name}`, values });
    });
  }
  return columns;
}
