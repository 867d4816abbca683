/**
 * Worker thread of parallel.ts: reads one entry range of one tree per message and posts
 * the columns back, transferring their buffers. Files stay open between messages.
 */

import { parentPort } from 'node:worker_threads';
import { BhiveError } from '../errors.js';
import type { Column } from './column-builder.js';
import { RootFile, type RootTree } from './root-file.js';
import type { ChunkRequest, ChunkResponse } from './parallel.js';

const trees = new Map<string, { file: RootFile; tree: RootTree }>();

async function openTree(file: string, tree: string): Promise<RootTree> {
  const key = `${file}\u0000${tree}`;
  let open = trees.get(key);
  if (!open) {
    const rootFile = await RootFile.open(file);
    open = { file: rootFile, tree: await rootFile.tree(tree) };
    trees.set(key, open);
  }
  return open.tree;
}

function collectBuffers(column: Column, into: Set<ArrayBuffer>): void {
  if (column.kind === 'record') {
    for (const field of column.fields.values()) collectBuffers(field, into);
    return;
  }
  into.add(column.values.buffer as ArrayBuffer);
  if (column.kind !== 'flat') into.add(column.offsets.buffer as ArrayBuffer);
  if (column.kind === 'jagged2') into.add(column.innerOffsets.buffer as ArrayBuffer);
}

async function handle(request: ChunkRequest): Promise<void> {
  try {
    const tree = await openTree(request.file, request.tree);
    const chunk = await tree.arrays(request.branches, { entryStart: request.entryStart, entryStop: request.entryStop });
    const buffers = new Set<ArrayBuffer>();
    for (const column of chunk.columns.values()) collectBuffers(column, buffers);
    const response: ChunkResponse = { id: request.id, columns: chunk.columns };
    parentPort?.postMessage(response, [...buffers]);
  } catch (error) {
    const response: ChunkResponse = {
      id: request.id,
      error: {
        className: error instanceof BhiveError ? error.name : 'Error',
        message: error instanceof Error ? error.message : String(error),
        context: error instanceof BhiveError ? error.context : {},
      },
    };
    parentPort?.postMessage(response);
  }
}

parentPort?.on('message', (request: ChunkRequest | 'close') => {
  if (request === 'close') {
    void Promise.all([...trees.values()].map((open) => open.file.close())).then(() => process.exit(0));
    return;
  }
  void handle(request);
});
