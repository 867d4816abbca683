/**
 * jsroot as an independent reader of files from bhive's writer: entry rows through a plain
 * TSelector loop, the TTree object, and the file's streamer infos.
 */

import { openFile as untypedOpenFile, TSelector, treeProcess as untypedTreeProcess } from 'jsroot';

export type JsrootValue = number | bigint | boolean | number[];
export type JsrootRow = Record<string, JsrootValue>;

// jsroot 7.11 has no type declarations, so the members used here are typed at this boundary.
interface Selector {
  tgtobj: Record<string, number | bigint | boolean | ArrayLike<number>>;
  addBranch(name: string): number;
  Process(): void;
}

export interface JsrootStreamerElement {
  _typename: string;
  fName: string;
  fTitle: string;
  fType: number;
  fSize: number;
  fTypeName: string;
  fMaxIndex: ArrayLike<number>;
  fBaseVersion?: number;
  fCountName?: string;
  fCountClass?: string;
  fCountVersion?: number;
}

export interface JsrootStreamerInfo {
  fName: string;
  fClassVersion: number;
  fCheckSum: number;
  fElements?: { arr: JsrootStreamerElement[] };
}

export interface JsrootBranch {
  fName: string;
  fTitle: string;
  fEntries: number;
  fEntryOffsetLen: number;
  fWriteBasket: number;
  fBasketBytes: ArrayLike<number>;
  fBasketEntry: ArrayLike<number>;
  fBasketSeek: ArrayLike<number>;
  fLeaves: { arr: Array<{ _typename: string; fName: string; fTitle: string; fLenType: number; fIsRange: boolean; fMaximum: number; fLeafCount: { fName: string } | null }> };
}

export interface JsrootTree {
  fName: string;
  fEntries: number;
  fTotBytes: number;
  fZipBytes: number;
  fAutoFlush: number;
  fNClusterRange: number;
  fBranches: { arr: JsrootBranch[] };
  fLeaves: { arr: Array<{ fName: string }> };
}

interface JsrootFile {
  fStreamerInfos: { arr: JsrootStreamerInfo[] };
  fCompress: number;
  fEND: number;
  fSeekInfo: number;
  fNbytesInfo: number;
  readObject(name: string): Promise<JsrootTree>;
}

const openFile: (file: string) => Promise<JsrootFile> = untypedOpenFile;
const treeProcess: (tree: object, selector: Selector) => Promise<unknown> = untypedTreeProcess;

/** Opens `file` and reads the TTree `tree` and the streamer infos. */
export async function readTreeObject(file: string, tree: string): Promise<{ tree: JsrootTree; streamerInfos: JsrootStreamerInfo[]; compress: number }> {
  const rootFile = await openFile(file);
  const treeObject = await rootFile.readObject(tree);
  return { tree: treeObject, streamerInfos: rootFile.fStreamerInfos.arr, compress: rootFile.fCompress };
}

/** Reads `branches` of every entry as rows; arrays are copied. */
export async function readRows(file: string, tree: string, branches: string[]): Promise<JsrootRow[]> {
  const treeObject = await (await openFile(file)).readObject(tree);
  const selector: Selector = new TSelector();
  for (const name of branches) selector.addBranch(name);
  const rows: JsrootRow[] = [];
  selector.Process = () => {
    const row: JsrootRow = {};
    for (const name of branches) {
      const value = selector.tgtobj[name];
      row[name] = typeof value === 'object' ? Array.from(value) : value;
    }
    rows.push(row);
  };
  await treeProcess(treeObject, selector);
  return rows;
}
