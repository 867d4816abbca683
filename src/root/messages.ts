/** Error messages of the ROOT reading layer, as typed functions so that tests can compare against them. */

import { didYouMean } from '../errors.js';

export const rootMessages = {
  fileNotFound: (file: string): string =>
    `ROOT file not found: ${file}. Check the path or the data directory in the configuration.`,

  fileUnreadable: (file: string, reason: string): string =>
    `cannot open ROOT file ${file}: ${reason}. Check that the file is a complete ROOT file.`,

  treeNotFound: (file: string, tree: string, trees: string[]): string =>
    `tree '${tree}' not found in ${file}; the file contains ` +
    (trees.length > 0 ? `the trees ${trees.map((t) => `'${t}'`).join(', ')}.` : 'no trees.') +
    didYouMean(tree, trees),

  notATree: (file: string, tree: string, className: string): string =>
    `key '${tree}' in ${file} is a ${className}, not a TTree.`,

  branchNotFound: (file: string, tree: string, branch: string, branches: string[]): string =>
    `branch '${branch}' not found in tree '${tree}' of ${file} (${branches.length} branches).` +
    didYouMean(branch, branches),

  unsupportedLeaf: (file: string, tree: string, branch: string, what: string): string =>
    `branch '${branch}' in tree '${tree}' of ${file} has ${what}, which the jsroot reader does not support.`,

  entryCountMismatch: (file: string, tree: string, expected: number, delivered: number): string =>
    `tree '${tree}' of ${file} has ${expected} entries in its header, but the reader delivered ${delivered}. ` +
    'The file may be damaged, or jsroot cannot read its basket layout (such as jagged baskets without an entry offset table).',

  jaggedLengthMismatch: (
    file: string,
    tree: string,
    entry: number,
    counter: string,
    first: string,
    firstLength: number,
    other: string,
    otherLength: number,
  ): string =>
    `branches '${first}' and '${other}' share the counter '${counter}' but have ${firstLength} and ` +
    `${otherLength} values at entry ${entry} of tree '${tree}' in ${file}.`,

  readFailed: (file: string, tree: string, reason: string): string =>
    `reading tree '${tree}' of ${file} failed: ${reason}`,
};
