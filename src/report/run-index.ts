/**
 * Finding evaluations under an output folder: every directory that contains
 * `evaluation.json` (written by `bhive evaluate` and the Report task) is one run.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { EVALUATION_SUMMARY_FILE, EVALUATION_SUMMARY_VERSION, type EvaluationSummary } from '../evaluation/summary.js';

/** Directory levels searched below the output folder; Report outputs sit at Report/<config>/<hash>. */
export const MAX_RUN_DEPTH = 6;

/** One evaluation found under the output folder. */
export interface RunEntry {
  /** Path relative to the output folder, with '/' separators; unique. */
  id: string;
  dir: string;
  /** Undefined when the summary could not be read; `problem` says why. */
  summary?: EvaluationSummary;
  problem?: string;
}

/**
 * Lists the runs under `outputRoot`, newest first (by the summary's creation time).
 * Hidden folders and temporary folders of unfinished runs (names with '.tmp-') are
 * skipped, and the search does not descend into a run. A summary of another layout
 * version or with invalid JSON is listed with a problem instead of its numbers.
 */
export function findRuns(outputRoot: string): RunEntry[] {
  const runs: RunEntry[] = [];
  const visit = (dir: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      // a folder that vanished or cannot be listed holds no readable run
      return;
    }
    if (names.includes(EVALUATION_SUMMARY_FILE)) {
      runs.push(readRun(outputRoot, dir));
      return;
    }
    if (depth >= MAX_RUN_DEPTH) return;
    for (const name of names.sort()) {
      if (name.startsWith('.') || name.includes('.tmp-') || name === 'node_modules') continue;
      const child = path.join(dir, name);
      if (isDirectory(child)) visit(child, depth + 1);
    }
  };
  visit(path.resolve(outputRoot), 0);
  return runs.sort((a, b) => (b.summary?.created ?? '').localeCompare(a.summary?.created ?? '') || a.id.localeCompare(b.id));
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function readRun(outputRoot: string, dir: string): RunEntry {
  const id = path.relative(path.resolve(outputRoot), dir).split(path.sep).join('/') || '.';
  try {
    const summary = JSON.parse(readFileSync(path.join(dir, EVALUATION_SUMMARY_FILE), 'utf8')) as EvaluationSummary;
    if (summary.version !== EVALUATION_SUMMARY_VERSION) {
      return { id, dir, problem: `evaluation.json has layout version ${String(summary.version)}; this bhive reads version ${EVALUATION_SUMMARY_VERSION}` };
    }
    return { id, dir, summary };
  } catch (error) {
    return { id, dir, problem: `evaluation.json cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}
