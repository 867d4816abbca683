/**
 * An independent reference reader for tests: a plain jsroot TSelector loop that returns one
 * object per entry, without any of bhive's column code.
 */

import { openFile as untypedOpenFile, TSelector, treeProcess as untypedTreeProcess } from 'jsroot';

type Row = Record<string, number | ArrayLike<number>>;

// jsroot 7.11 has no type declarations, so the members used here are typed at this boundary.
interface Selector {
  tgtobj: Row;
  addBranch(name: string): number;
  Process(): void;
}
const openFile: (file: string) => Promise<{ readObject(name: string): Promise<object> }> = untypedOpenFile;
const treeProcess: (tree: object, selector: Selector) => Promise<unknown> = untypedTreeProcess;

/** Reads `branches` of every entry as rows; arrays are copied. */
export async function readWithJsroot(file: string, tree: string, branches: string[]): Promise<Row[]> {
  const rootTree = await (await openFile(file)).readObject(tree);
  const selector: Selector = new TSelector();
  for (const name of branches) selector.addBranch(name);
  const rows: Row[] = [];
  selector.Process = () => {
    const row: Row = {};
    for (const name of branches) {
      const value = selector.tgtobj[name];
      row[name] = typeof value === 'number' ? value : Array.from(value);
    }
    rows.push(row);
  };
  await treeProcess(rootTree, selector);
  return rows;
}
