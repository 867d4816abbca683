/**
 * Plain descriptions of a TTree, its branches, leaves and baskets: what the basket reader
 * needs from the TTree and TBranch objects, without any jsroot object.
 */

/** One leaf (TLeaf) of a branch. */
export interface LeafMeta {
  name: string;
  /** The ROOT class: `TLeafF`, `TLeafD`, `TLeafI`, `TLeafL`, `TLeafS`, `TLeafB`, `TLeafO`, `TLeafF16`, `TLeafD32`, `TLeafC`, `TLeafElement`, ... */
  className: string;
  /** The leaf title, which carries the `[min,max,bits]` range of Float16_t and Double32_t leaves. */
  title: string;
  /** Values per entry (per element for a leaf-count array); the product of fixed dimensions. */
  length: number;
  isUnsigned: boolean;
  /** Name of the counter leaf for a variable-length array (`Jet_pt[nJet]`), else undefined. */
  countLeaf?: string;
}

/** Where a basket's bytes are. */
export type BasketLocation =
  | { kind: 'file'; seek: number; numBytes: number }
  /** A basket stored inside the TTree object of a file that was never closed: uncompressed data and the entry offsets (relative to the data). */
  | { kind: 'embedded'; data: Uint8Array; entryOffsets?: Int32Array };

/** One basket: its entries [entryStart, entryStop) and location. */
export interface BasketMeta {
  entryStart: number;
  entryStop: number;
  location: BasketLocation;
}

/** One branch (TBranch or TBranchElement). */
export interface BranchMeta {
  name: string;
  title: string;
  /** `TBranch`, `TBranchElement`, ... */
  className: string;
  /** The C++ type of a TBranchElement (`vector<float>`), else undefined. */
  objectClass?: string;
  /** `fStreamerType` of a TBranchElement, else undefined. */
  streamerType?: number;
  /** Entries according to the branch (`fEntries`). */
  numEntries: number;
  /** Size of the entry offset table that ROOT keeps per basket; 0 for fixed-size entries. */
  entryOffsetLength: number;
  leaves: LeafMeta[];
  baskets: BasketMeta[];
  /** Names of sub-branches of a split object. */
  subBranches: string[];
}

/** One TTree. */
export interface TreeMeta {
  file: string;
  /** Path of the tree in the file, such as `one/two/tree`. */
  path: string;
  /** Entries according to the tree header (`fEntries`). */
  numEntries: number;
  /** Names of the top-level branches, in file order. */
  topBranches: string[];
  /** Every branch, including sub-branches, by name. */
  branches: Map<string, BranchMeta>;
  /** Leaf name to the name of the branch that holds it, for counter lookups. */
  leafBranch: Map<string, string>;
}

/** One key of a directory. */
export interface KeyInfo {
  /** Path in the file without cycle, such as `one/two/tree`. */
  path: string;
  cycle: number;
  className: string;
  title: string;
}
