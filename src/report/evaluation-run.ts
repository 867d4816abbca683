/**
 * One evaluation written to a directory: the numbers and plots of src/evaluation, the
 * HTML report, and the provenance of every input file (size, time and SHA-256). Used by
 * `bhive evaluate` and by the Report task.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { EvaluationData } from '../evaluation/discriminant-jets.js';
import { evaluateTagger, type EvaluationPlan, type EvaluationProgress } from '../evaluation/evaluate.js';
import type { ProcessEvaluation } from '../evaluation/processes.js';
import { writeEvaluation } from '../evaluation/evaluation-output.js';
import type { EvaluationSummary, InputProvenance } from '../evaluation/summary.js';
import { InputError } from '../errors.js';
import { writeEvaluationReport } from './html-report.js';

export interface EvaluationRunOptions {
  /** Name of the evaluation, stored in the summary and shown in the dashboard. */
  name: string;
  data: EvaluationData;
  plan: EvaluationPlan;
  /** Files whose size, modification time and SHA-256 are recorded. */
  inputFiles: readonly string[];
  /** Provenance besides the input files. */
  provenance: Omit<EvaluationSummary['provenance'], 'inputs' | 'node'>;
  onProgress?: EvaluationProgress;
  /** PNG width in pixels; default 1280. */
  pngWidth?: number;
  /** Per-process ROC curves to write and report; absent for none. */
  processes?: readonly ProcessEvaluation[];
}

/**
 * Evaluates `data` and writes every output, `evaluation.json` and `report.html` into the
 * existing directory `outputDir`. Returns the summary.
 */
export async function writeEvaluationRun(outputDir: string, options: EvaluationRunOptions): Promise<EvaluationSummary> {
  const inputs = await Promise.all(options.inputFiles.map((file) => describeInputFile(file)));
  const evaluations = evaluateTagger(options.data, options.plan, options.onProgress);
  const summary = writeEvaluation(outputDir, options.data, evaluations, {
    name: options.name,
    provenance: { ...options.provenance, inputs, node: process.version },
    pngWidth: options.pngWidth,
    processes: options.processes,
  });
  writeEvaluationReport(outputDir, summary);
  return summary;
}

/** Returns the absolute path, size, modification time and SHA-256 of a file (one read of the whole file). */
export async function describeInputFile(file: string): Promise<InputProvenance> {
  const absolute = path.resolve(file);
  try {
    const stats = await stat(absolute);
    return { path: absolute, bytes: stats.size, modified: stats.mtime.toISOString(), sha256: await sha256File(absolute) };
  } catch (error) {
    throw new InputError(`cannot read ${absolute} to record its provenance: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file: absolute }, { cause: error });
  }
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
