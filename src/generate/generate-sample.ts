/**
 * Writing a simulated sample (see simulate.ts) as NANOX-style ROOT files with bhive's TTree
 * writer: `train_<k>.root` and `test_<k>.root` with truth branches, and `da_train1_1.root`
 * without them, like the collision-data file of the CMS sample. `simulated.json` is written
 * last and records the settings, so a folder that has it is complete.
 */

import { readdirSync } from 'node:fs';
import { mkdir, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { Random } from '../random.js';
import { TreeWriter } from '../root/writer/index.js';
import { nanoxBranches } from './schema.js';
import { simulateJets } from './simulate.js';

export const simulatedManifestName = 'simulated.json';

export interface GenerateOptions {
  outputDir: string;
  /** Files of the train sample; default 5. */
  numTrainFiles?: number;
  /** Files of the test sample; default 2. */
  numTestFiles?: number;
  /** Jets per file; default 4000. */
  jetsPerFile?: number;
  /** Seed of the simulation; default 1. The same seed gives identical files. */
  seed?: number;
  /** Called after each file is written. */
  onFile?(file: string, numJets: number): void;
}

export interface GeneratedSample {
  outputDir: string;
  files: string[];
  numJets: number;
}

/** Jets simulated and written per TreeWriter.write call, which bounds memory. */
const jetsPerChunk = 10_000;

/**
 * Simulates and writes the sample into `outputDir` (created when needed).
 * @throws InputError for a count that is not a positive integer.
 */
export async function generateSample(options: GenerateOptions): Promise<GeneratedSample> {
  const numTrainFiles = checkCount('numTrainFiles', options.numTrainFiles ?? 5);
  const numTestFiles = checkCount('numTestFiles', options.numTestFiles ?? 2);
  const jetsPerFile = checkCount('jetsPerFile', options.jetsPerFile ?? 4000);
  const seed = options.seed ?? 1;
  try {
    await mkdir(options.outputDir, { recursive: true });
  } catch (error) {
    throw new InputError(`cannot create the output folder ${options.outputDir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      file: options.outputDir,
    });
  }
  // Files of an earlier sample would be read together with the new ones by a glob such as train_*.root.
  const leftovers = readdirSync(options.outputDir).filter((name) => name.endsWith('.root'));
  if (leftovers.length > 0) {
    throw new InputError(
      `${options.outputDir} already holds ROOT files (${leftovers.slice(0, 5).join(', ')}${leftovers.length > 5 ? ', ...' : ''}); write the sample into an empty folder, or remove them first`,
      { file: options.outputDir },
    );
  }

  const plan = [
    ...Array.from({ length: numTrainFiles }, (_, k) => ({ name: `train_${k + 1}.root`, withTruth: true })),
    ...Array.from({ length: numTestFiles }, (_, k) => ({ name: `test_${k + 1}.root`, withTruth: true })),
    { name: 'da_train1_1.root', withTruth: false },
  ];
  const files: string[] = [];
  for (const [index, entry] of plan.entries()) {
    const file = path.join(options.outputDir, entry.name);
    // Each file has its own stream, so a file's content does not depend on the number of files before it.
    const random = new Random(seed * 100_003 + index);
    const writer = await TreeWriter.create(file, 'jets', nanoxBranches(entry.withTruth), {
      title: 'jets',
      fileTitle: 'bhive simulated jets: a toy model in the NANOX layout, not CMS data',
    });
    try {
      for (let start = 0; start < jetsPerFile; start += jetsPerChunk) {
        await writer.write(simulateJets(Math.min(jetsPerChunk, jetsPerFile - start), random, entry.withTruth));
      }
      await writer.close();
    } catch (error) {
      await writer.abort();
      throw error;
    }
    files.push(file);
    options.onFile?.(file, jetsPerFile);
  }

  const manifest = {
    description: 'simulated jets written by bhive generate: a toy model in the NANOX per-jet layout, not CMS data',
    seed,
    jetsPerFile,
    files: plan.map((entry) => entry.name),
  };
  const manifestFile = path.join(options.outputDir, simulatedManifestName);
  await writeFile(`${manifestFile}.partial`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${manifestFile}.partial`, manifestFile);
  return { outputDir: options.outputDir, files, numJets: jetsPerFile * plan.length };
}

function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new InputError(`${name} must be a positive integer, not ${value}`);
  return value;
}
