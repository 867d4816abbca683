/**
 * model.json of an external model. It has the fields that `loadClassifier` reads for every
 * model (format, version, model name, layout, options), and an `external` section with the
 * files that the worker wrote next to it.
 */

import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../errors.js';
import type { ModelInputLayout } from '../classifier.js';
import type { ModelOptions } from '../options.js';

export const externalModelFileName = 'model.json';

export interface ExternalModelHeader {
  format: 'bhive-model';
  version: 1;
  model: string;
  backend: 'external';
  layout: ModelInputLayout;
  options: ModelOptions;
  numParameters: number;
  /**
   * The first model file. NOTE: `arrays` is always empty; it is present because the shared
   * model.json check in src/models/tfjs/tfjs-classifier.ts requires a `weights.arrays` list.
   */
  weights: { file: string; arrays: [] };
  external: {
    protocol: number;
    architecture: string;
    /** Files with the model's weights, written by the worker into the model directory. */
    files: string[];
    /** Files with the optimiser state; only in checkpoints. */
    optimizerFiles: string[];
  };
}

/** Write `header` as `dir`/model.json through a temporary name. */
export async function writeExternalHeader(dir: string, header: ExternalModelHeader): Promise<void> {
  const file = path.join(dir, externalModelFileName);
  const temporary = `${file}.partial-${process.pid}`;
  await writeFile(temporary, JSON.stringify(header, null, 2) + '\n');
  await rename(temporary, file);
}

/** Read and check `dir`/model.json of an external model. */
export async function readExternalHeader(dir: string): Promise<ExternalModelHeader> {
  const file = path.join(dir, externalModelFileName);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InputError(`cannot read ${file} as JSON; an external model directory contains model.json and the worker's files`, { file }, { cause: error });
  }
  const header = parsed as Partial<ExternalModelHeader>; // checked field by field below
  const external = header.external;
  if (
    header.format !== 'bhive-model' ||
    header.backend !== 'external' ||
    typeof header.model !== 'string' ||
    external === undefined ||
    !Array.isArray(external.files) ||
    !Array.isArray(external.optimizerFiles) ||
    typeof external.architecture !== 'string'
  ) {
    throw new InputError(`${file} is not an external bhive model (expected "backend": "external" and an "external" section with "files")`, { file });
  }
  return header as ExternalModelHeader;
}
