/** Reading a dataset directory written by `constructDataset` back into memory. */

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { decodeChunk } from './chunk.js';
import { concatJets, type JetLayout } from './jet-arrays.js';
import type { DatasetManifest, JetArrays } from './types.js';

/**
 * Reads and checks `manifest.json` of a dataset directory.
 * @throws InputError when the manifest is missing (an incomplete dataset), not JSON, or of another format or version.
 */
export async function readManifest(dir: string): Promise<DatasetManifest> {
  const file = path.join(dir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new InputError(
      `dataset directory ${dir} has no readable manifest.json, so it is not a complete dataset; construct the dataset again`,
      { file },
      { cause },
    );
  }
  let parsed: Partial<DatasetManifest>;
  try {
    parsed = JSON.parse(text) as Partial<DatasetManifest>;
  } catch (cause) {
    throw new InputError(`dataset manifest ${file} is not valid JSON: ${(cause as Error).message}`, { file }, { cause });
  }
  if (parsed.format !== 'bhive-dataset' || parsed.version !== 1) {
    throw new InputError(
      `dataset manifest ${file} has format '${parsed.format}' version ${parsed.version}; expected 'bhive-dataset' version 1`,
      { file },
    );
  }
  if (!Array.isArray(parsed.chunks) || !Array.isArray(parsed.groups) || !Array.isArray(parsed.globalFeatures)) {
    throw new InputError(`dataset manifest ${file} lacks chunks, groups or globalFeatures`, { file });
  }
  // The format and the fields read below are checked; the remaining fields are trusted as written.
  return parsed as DatasetManifest;
}

/**
 * Loads all chunks of a dataset, concatenated in chunk order, after checking every
 * member's dtype and shape against the manifest.
 * NOTE: the whole dataset is read into memory, because a streaming batch loader is still missing.
 * @throws InputError naming the manifest or chunk file for a missing file, a wrong shape or a jet count that differs from the manifest.
 */
export async function loadDataset(dir: string): Promise<{ manifest: DatasetManifest; arrays: JetArrays }> {
  const manifest = await readManifest(dir);
  const layout: JetLayout = {
    globalFeatures: manifest.globalFeatures,
    groups: manifest.groups,
    spectators: manifest.spectators,
    processes: manifest.processNames,
  };
  const parts: JetArrays[] = [];
  for (const chunk of manifest.chunks) {
    const file = path.join(dir, chunk.file);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (cause) {
      throw new InputError(`dataset chunk ${file} listed in the manifest cannot be read; construct the dataset again`, { file }, { cause });
    }
    parts.push(decodeChunk(bytes, layout, chunk.numJets, file));
  }
  const arrays = concatJets(parts, layout.groups.map((g) => g.name));
  if (arrays.numJets !== manifest.numJets) {
    throw new InputError(
      `dataset ${dir} contains ${arrays.numJets} jets in its chunks, but its manifest records ${manifest.numJets}; construct the dataset again`,
      { file: path.join(dir, 'manifest.json') },
    );
  }
  return { manifest, arrays };
}
