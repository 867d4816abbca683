/**
 * The predictions file written by inference, `predictions.npz`:
 * `probabilities` float32 [jets, classes], `label` int32 [jets] (-1 where unknown),
 * `weight`, `pt` (GeV) and `eta` float32 [jets], and `classes.json`-style class names
 * kept beside it in `predictions.json`.
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
    ],
    true,
  );
  await writeFile(`${file}.partial`, bytes);
  await rename(`${file}.partial`, file);
}

/** Read a predictions .npz file written by `writePredictions`, with the class names given. */
export async function readPredictions(file: string, classes: string[]): Promise<Predictions> {
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
  return { classes, probabilities: probabilities.data, label: label.data, weight: float('weight'), pt: float('pt'), eta: float('eta') };
}
