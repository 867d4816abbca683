/** Evaluations written from synthetic tagger outputs, for the report and dashboard tests. */
import { mkdirSync } from 'node:fs';
import { defaultEvaluationSettings } from '../../src/config/evaluation-section.js';
import type { EvaluationSummary } from '../../src/evaluation/summary.js';
import { writeEvaluationRun } from '../../src/report/evaluation-run.js';
import { Random } from '../../src/random.js';
import { CLASSES, syntheticOutputs } from '../evaluation/evaluation-data.js';

/**
 * Writes one evaluation of 3000 synthetic jets (six classes, BvsL and CvsL, pT and η,
 * a 20-replica bootstrap and one window) into `dir`, recording `inputFile` as its input.
 */
export async function writeSyntheticRun(dir: string, name: string, separation: number, seed: number, inputFile: string): Promise<EvaluationSummary> {
  mkdirSync(dir, { recursive: true });
  const { probabilities, labels } = syntheticOutputs(3000, seed, separation);
  const random = new Random(seed + 100);
  const pt = Float64Array.from(labels, () => 20 + 200 * random.uniform());
  const eta = Float64Array.from(labels, () => 5 * random.uniform() - 2.5);
  const settings = defaultEvaluationSettings();
  settings.bootstrap = { replicas: 20, seed: 1 };
  settings.windows = [{ name: 'central', ptMin: 30, ptMax: 150, absEtaMin: 0, absEtaMax: 1.5 }];
  return writeEvaluationRun(dir, {
    name,
    data: { classNames: CLASSES, labels, probabilities, pt, eta, label: name },
    plan: {
      discriminants: [
        { name: 'BvsL', signal: ['b', 'bb', 'lepb'], background: ['uds', 'g'] },
        { name: 'CvsL', signal: ['c'], background: ['uds', 'g'] },
      ],
      references: [],
      workingPoints: [0.1, 0.01],
      settings,
    },
    inputFiles: [inputFile],
    provenance: { command_line: ['test', name], bhive_version: '0.0.0-test' },
    pngWidth: 400,
  });
}

