/**
 * Processing many input files in worker threads. Each worker processes whole files; the
 * results come back in file order, so the output does not depend on the number of workers.
 * At most `numWorkers` files are processed at once.
 */

import { Worker } from 'node:worker_threads';
import type { BhiveConfig } from '../config/types.js';
import { BhiveError, ConfigError, InputError, UnsupportedError } from '../errors.js';
import type { FileRequest, FileResponse } from './file-worker.js';
import type { ProcessedJets } from './jet-file.js';
import type { Processor } from './processor.js';
import { defaultProcessorRegistry } from './register-builtins.js';

export interface ParallelFilesOptions {
  config: BhiveConfig;
  /** A config per file (such as with a process's selection); default `config` for every file. */
  fileConfigs?: BhiveConfig[];
  processor: Processor;
  files: string[];
  requireLabels: boolean;
  /** Worker threads; 1 or less processes the files in this thread. */
  numWorkers: number;
  stepSize?: number;
  /** Called with progress in entries of one file. */
  onProgress?(fileIndex: number, entriesDone: number, entriesTotal: number): void;
}

/** The outcome of one file: its jets, or the error that processing it raised. */
export type FileOutcome = { ok: true; jets: ProcessedJets } | { ok: false; error: Error };

const ERROR_CLASSES: Record<string, new (message: string, context: BhiveError['context']) => BhiveError> = {
  InputError,
  UnsupportedError,
  ConfigError,
};

function rebuildError(response: Extract<FileResponse, { kind: 'failed' }>): Error {
  const ErrorClass = ERROR_CLASSES[response.errorClass];
  if (ErrorClass) return new ErrorClass(response.message, response.context);
  return new BhiveError(`${response.errorClass}: ${response.message}`, response.context);
}

/**
 * Processes `files` and yields each file's outcome in file order. Failures are yielded,
 * not thrown, so that the caller can skip or stop.
 * Workers create their processor from the built-in registry.
 * @throws UnsupportedError with more than one worker for a processor that is not built in.
 */
export async function* processFilesInParallel(options: ParallelFilesOptions): AsyncGenerator<FileOutcome> {
  const { processor, files, requireLabels, stepSize } = options;
  const configOf = (i: number): BhiveConfig => options.fileConfigs?.[i] ?? options.config;
  if (options.numWorkers <= 1 || files.length <= 1) {
    for (let i = 0; i < files.length; i++) {
      try {
        const jets = await processor.processFile(configOf(i), files[i], {
          requireLabels,
          stepSize,
          onProgress: (done, total) => options.onProgress?.(i, done, total),
        });
        yield { ok: true, jets };
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        yield { ok: false, error };
      }
    }
    return;
  }

  const builtin = defaultProcessorRegistry().get(processor.name)?.create();
  if (builtin === undefined || Object.getPrototypeOf(builtin) !== Object.getPrototypeOf(processor)) {
    throw new UnsupportedError(
      `processor '${processor.name}' is not a built-in processor, so it cannot run in worker threads; process the files with one worker`,
    );
  }
  const outcomes = new Map<number, FileOutcome>();
  let wake: (() => void) | undefined;
  let next = 0;
  let fatal: Error | undefined;
  const workers: Worker[] = [];
  const dispatch = (worker: Worker): void => {
    if (next >= files.length) return;
    const request: FileRequest = { id: next, processor: processor.name, config: configOf(next), file: files[next], requireLabels, stepSize };
    next++;
    worker.postMessage(request);
  };
  const numWorkers = Math.min(options.numWorkers, files.length);
  for (let w = 0; w < numWorkers; w++) {
    const worker = new Worker(new URL('./file-worker.js', import.meta.url));
    worker.on('message', (response: FileResponse) => {
      if (response.kind === 'progress') {
        options.onProgress?.(response.id, response.entriesDone, response.entriesTotal);
        return;
      }
      outcomes.set(response.id, response.kind === 'done' ? { ok: true, jets: response.jets } : { ok: false, error: rebuildError(response) });
      dispatch(worker);
      wake?.();
    });
    worker.on('error', (error) => {
      // A crashed worker (out of memory, a bug) stops the whole run rather than one file.
      fatal = error;
      wake?.();
    });
    workers.push(worker);
    dispatch(worker);
  }

  try {
    for (let id = 0; id < files.length; id++) {
      while (!outcomes.has(id)) {
        if (fatal) throw fatal;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const outcome = outcomes.get(id) as FileOutcome;
      outcomes.delete(id);
      yield outcome;
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
