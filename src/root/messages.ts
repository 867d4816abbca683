/** Error messages of the ROOT reading layer, as typed functions so that tests can compare against them. */

import { didYouMean } from '../errors.js';

function entries(start: number, stop: number): string {
  return `entries ${start}-${stop}`;
}

export const rootMessages = {
  fileNotFound: (file: string): string =>
    `ROOT file not found: ${file}. Check the path or the data directory in the configuration.`,

  fileUnreadable: (file: string, reason: string): string =>
    `cannot open ROOT file ${file}: ${reason}. Check that the file is a complete ROOT file.`,

  notRootFile: (file: string, why: string): string =>
    `cannot open ROOT file ${file}: ${why}, so it is not a ROOT file. Check that the path points to a .root file.`,

  badHeader: (file: string, why: string): string =>
    `cannot open ROOT file ${file}: its header is damaged because ${why}. The file may be truncated; copy it again.`,

  notClosed: (file: string, end: number, size: number): string =>
    `ROOT file ${file} was not closed properly: it has no key list (its header says the data ends at byte ${end}, ` +
    `the file has ${size} bytes), so nothing could be recovered. Rerun the job that wrote it.`,

  noStreamerInfo: (file: string, numKeys: number): string =>
    `cannot open ROOT file ${file}: it has ${numKeys} keys but no streamer info. The file may be damaged.`,

  readBeyondEnd: (file: string, offset: number, length: number, size: number): string =>
    `cannot read bytes ${offset}-${offset + length} of ${file}: the file has only ${size} bytes. The file is truncated or damaged.`,

  httpFailed: (url: string, reason: string): string => `request to ${url} failed: ${reason}`,

  httpNoRange: (url: string, status: number): string =>
    `server of ${url} answered a range request with HTTP status ${status}, expected 206. The server must support range requests.`,

  httpShortRead: (url: string, offset: number, length: number, received: number): string =>
    `server of ${url} returned ${received} bytes for the range ${offset}-${offset + length}, expected ${length}.`,

  directoryUnreadable: (file: string, directory: string, reason: string): string =>
    `cannot read directory '${directory}' of ${file}: ${reason}`,

  objectUnreadable: (file: string, name: string, className: string, reason: string): string =>
    `cannot decompress the ${className} '${name}' in ${file}: ${reason}. The file may be damaged.`,

  treeUnreadable: (file: string, tree: string, reason: string): string =>
    `cannot read tree '${tree}' of ${file}: ${reason}. The file may be damaged.`,

  treeNotFound: (file: string, tree: string, trees: string[]): string =>
    `tree '${tree}' not found in ${file}; the file contains ` +
    (trees.length > 0 ? `the trees ${trees.map((t) => `'${t}'`).join(', ')}.` : 'no trees.') +
    didYouMean(tree, trees),

  notATree: (file: string, tree: string, className: string): string =>
    `key '${tree}' in ${file} is a ${className}, not a TTree.`,

  branchNotFound: (file: string, tree: string, branch: string, branches: string[]): string =>
    `branch '${branch}' not found in tree '${tree}' of ${file} (${branches.length} branches).` +
    didYouMean(branch, branches),

  unsupportedBranch: (file: string, tree: string, branch: string, what: string): string =>
    `branch '${branch}' in tree '${tree}' of ${file} has ${what}, which bhive's ROOT reader does not support.`,

  unsupportedColumn: (file: string, tree: string, branch: string, what: string): string =>
    `branch '${branch}' in tree '${tree}' of ${file} is ${what}, which readBranches cannot return; read it with RootTree.arrays.`,

  badBasket: (
    file: string, tree: string, branch: string, basket: number, numBaskets: number, start: number, stop: number, reason: string,
  ): string =>
    `basket ${basket} of ${numBaskets} of branch '${branch}' (${entries(start, stop)}) in tree '${tree}' of ${file} ` +
    `is damaged: ${reason}. The file may be truncated or corrupted.`,

  unknownCompression: (file: string, tree: string, branch: string, basket: number, start: number, stop: number, code: string): string =>
    `basket ${basket} of branch '${branch}' (${entries(start, stop)}) in tree '${tree}' of ${file} uses the compression ` +
    `code '${code}', which is unknown (known: ZL, CS, XZ, ZS, L4). The file may be corrupted or written by a newer ROOT.`,

  missingEntries: (
    file: string, tree: string, branch: string, covered: number, start: number, stop: number, numBaskets: number,
  ): string =>
    `branch '${branch}' in tree '${tree}' of ${file} has baskets for ${entries(start, covered)} only, but ${entries(start, stop)} ` +
    `were requested (${numBaskets} baskets). The file may be damaged or was not closed properly.`,

  columnTooLarge: (file: string, tree: string, branch: string, numValues: number): string =>
    `branch '${branch}' in tree '${tree}' of ${file} has ${numValues} values in the requested range, more than 2^31 - 1. ` +
    'Read fewer entries at a time.',

  counterMismatch: (file: string, tree: string, counter: string, first: string, other: string): string =>
    `branches '${first}' and '${other}' share the counter '${counter}' in tree '${tree}' of ${file}, ` +
    'but their baskets give different entry sizes. The file may be damaged.',

  entryRange: (file: string, tree: string, start: number, stop: number, numEntries: number): string =>
    `entry range ${start}-${stop} is invalid for tree '${tree}' of ${file} with ${numEntries} entries; ` +
    'use integers with 0 <= entryStart <= entryStop.',

  workerFailed: (file: string, tree: string, start: number, stop: number, reason: string): string =>
    `reading ${entries(start, stop)} of tree '${tree}' in ${file} in a worker thread failed: ${reason}`,
};
