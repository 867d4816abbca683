/**
 * Parallel reading: entry ranges of one or many files are read in worker threads and
 * delivered in request order. At most `numWorkers` chunks are being read and at most
 * `numWorkers` finished chunks wait for the consumer, so memory is bounded by the chunk
 * size times twice the number of workers, whatever the number of files.
 */

import { Worker } from 'node:worker_threads';
import { type ErrorContext, InputError, UnsupportedError } from '../errors.js';
import type { Column } from './column-builder.js';
import { rootMessages } from './messages.js';

/** One entry range [entryStart, entryStop) of one tree to read. */
export interface ChunkTask {
  file: string;
  tree: string;
  branches: string[];
  entryStart: number;
  entryStop: number;
}

/** A message to a worker. */
export interface ChunkRequest extends ChunkTask {
  id: number;
}

/** A worker's reply: the columns, or the error that reading raised. */
export interface ChunkResponse {
  id: number;
  columns?: Map<string, Column>;
  error?: { className: string; message: string; context: ErrorContext };
}

/** The columns of one task. */
export interface ChunkResult {
  task: ChunkTask;
  columns: Map<string, Column>;
}

export interface ParallelOptions {
  /** Worker threads, default 2. */
  numWorkers?: number;
}

/**
 * Splits [0, numEntries) into consecutive ranges of at most `stepSize` entries.
 * @returns [entryStart, entryStop) pairs; none for a tree without entries.
 */
export function chunkRanges(numEntries: number, stepSize: number): Array<[number, number]> {
  if (!Number.isSafeInteger(stepSize) || stepSize < 1) throw new RangeError(`stepSize must be a positive integer, got ${stepSize}`);
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < numEntries; start += stepSize) ranges.push([start, Math.min(start + stepSize, numEntries)]);
  return ranges;
}

function rebuildError(task: ChunkTask, error: NonNullable<ChunkResponse['error']>): Error {
  if (error.className === 'InputError') return new InputError(error.message, error.context);
  if (error.className === 'UnsupportedError') return new UnsupportedError(error.message, error.context);
  return new InputError(rootMessages.workerFailed(task.file, task.tree, task.entryStart, task.entryStop, error.message), {
    ...error.context,
    file: task.file,
    tree: task.tree,
    entryStart: task.entryStart,
    entryStop: task.entryStop,
  });
}

/**
 * Reads tasks in worker threads and yields their columns in task order. The error of the
 * first failing task is thrown after the chunks before it have been yielded. The workers
 * stop when the iteration ends, normally or not.
 * @throws InputError or UnsupportedError as raised by the reader, with the task's file, tree and entries.
 */
export async function* readInParallel(tasks: ChunkTask[], options: ParallelOptions = {}): AsyncGenerator<ChunkResult> {
  const numWorkers = Math.max(1, Math.min(options.numWorkers ?? 2, tasks.length));
  if (tasks.length === 0) return;
  const workers: Worker[] = [];
  const pending = new Map<number, { resolve(response: ChunkResponse): void }>();
  const results = new Map<number, Promise<ChunkResponse>>();
  const idle: Worker[] = [];
  let next = 0;

  const dispatch = (worker: Worker): void => {
    if (next >= tasks.length || results.size >= 2 * numWorkers) {
      idle.push(worker);
      return;
    }
    const id = next++;
    results.set(id, new Promise<ChunkResponse>((resolve) => pending.set(id, { resolve })));
    const request: ChunkRequest = { ...tasks[id], id };
    worker.postMessage(request);
  };

  for (let w = 0; w < numWorkers; w++) {
    const worker = new Worker(new URL('./read-worker.js', import.meta.url));
    worker.on('message', (response: ChunkResponse) => {
      pending.get(response.id)?.resolve(response);
      pending.delete(response.id);
      dispatch(worker);
    });
    worker.on('error', (error: Error) => {
      for (const [id, waiter] of pending) waiter.resolve({ id, error: { className: 'Error', message: error.message, context: {} } });
      pending.clear();
    });
    workers.push(worker);
  }

  try {
    for (const worker of workers) dispatch(worker);
    for (let id = 0; id < tasks.length; id++) {
      const response = await (results.get(id) as Promise<ChunkResponse>);
      results.delete(id);
      while (idle.length > 0 && next < tasks.length && results.size < 2 * numWorkers) dispatch(idle.pop() as Worker);
      if (response.error) throw rebuildError(tasks[id], response.error);
      yield { task: tasks[id], columns: response.columns as Map<string, Column> };
    }
  } finally {
    await Promise.all(workers.map(stopWorker));
  }
}

/** Asks a worker to close its files and exit; terminates it if it has not exited within a second. */
async function stopWorker(worker: Worker): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage('close');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), 1000);
  });
  if ((await Promise.race([exited, late])) === 'late') await worker.terminate();
  clearTimeout(timer);
}

