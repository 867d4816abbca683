/**
 * Worker-thread entry point of {@link processFilesInParallel}: processes one file per
 * request with a built-in processor and sends back the jets, with their typed arrays
 * transferred, or the error's class name, message and context.
 */

import { parentPort } from 'node:worker_threads';
import type { BhiveConfig } from '../config/types.js';
import { BhiveError } from '../errors.js';
import type { ProcessedJets } from './jet-file.js';
import { defaultProcessorRegistry } from './register-builtins.js';

/** A request from the main thread. */
export interface FileRequest {
  id: number;
  processor: string;
  config: BhiveConfig;
  file: string;
  requireLabels: boolean;
  stepSize?: number;
}

/** A message to the main thread: progress, a result, or a failure. */
export type FileResponse =
  | { id: number; kind: 'progress'; entriesDone: number; entriesTotal: number }
  | { id: number; kind: 'done'; jets: ProcessedJets }
  | { id: number; kind: 'failed'; errorClass: string; message: string; context: BhiveError['context'] };

function transferList(jets: ProcessedJets): ArrayBuffer[] {
  const arrays = [jets.entries, jets.global, jets.label, jets.pt, jets.eta, ...Object.values(jets.groups), ...(jets.spectators ? [jets.spectators] : [])];
  // Arrays created by the processors own their whole buffer, so each buffer is listed once.
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

const port = parentPort;
if (port) {
  port.on('message', (message: FileRequest | 'close') => {
    if (message === 'close') {
      port.close();
      return;
    }
    const { id } = message;
    const run = async (): Promise<void> => {
      try {
        const processor = defaultProcessorRegistry().create(message.processor);
        const jets = await processor.processFile(message.config, message.file, {
          requireLabels: message.requireLabels,
          stepSize: message.stepSize,
          onProgress: (entriesDone, entriesTotal) => port.postMessage({ id, kind: 'progress', entriesDone, entriesTotal } satisfies FileResponse),
        });
        port.postMessage({ id, kind: 'done', jets } satisfies FileResponse, transferList(jets));
      } catch (error) {
        const errorClass = error instanceof Error ? error.name : 'Error';
        const context = error instanceof BhiveError ? error.context : {};
        port.postMessage({ id, kind: 'failed', errorClass, message: error instanceof Error ? error.message : String(error), context } satisfies FileResponse);
      }
    };
    void run();
  });
}
