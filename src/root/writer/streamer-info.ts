/**
 * TStreamerInfo records for the classes that a file with one TTree of flat and jagged
 * numeric branches contains: TObject, TNamed, the TAtt* attribute bases, ROOT::TIOFeatures,
 * TTree (version 20), TBranch (13), TLeaf (2) and its numeric subclasses (1).
 *
 * Member names, type codes, type names and titles are those that ROOT 6 writes for these
 * class versions, and `classCheckSum` computes the same checksums as ROOT's
 * TStreamerInfo::GetCheckSum; the tests compare both against streamer infos read from
 * files written by ROOT 6.
 */

import { ByteWriter } from './byte-writer.js';

/** ROOT's type codes for streamer elements (TVirtualStreamerInfo::EReadWrite). */
export const typeCode = {
  char: 1,
  short: 2,
  int: 3,
  float: 5,
  counter: 6,
  double: 8,
  uchar: 11,
  uint: 13,
  bits: 15,
  long64: 16,
  bool: 18,
  /** Added to a basic type code for a pointer to an array whose length is another member. */
  offsetPointer: 40,
  object: 61,
  any: 62,
  objectPointer: 64,
  tstring: 65,
  tobject: 66,
  tnamed: 67,
} as const;

export type StreamerElement =
  | { kind: 'base'; name: string; baseVersion: number; title: string }
  | { kind: 'basic'; name: string; type: number; typeName: string; size: number; title: string }
  | { kind: 'basicPointer'; name: string; type: number; typeName: string; size: number; countName: string; title: string }
  | { kind: 'object' | 'objectAny' | 'objectPointer'; name: string; typeName: string; size: number; title: string }
  | { kind: 'string'; name: string; title: string };

export interface ClassLayout {
  name: string;
  version: number;
  elements: StreamerElement[];
}

const base = (name: string, baseVersion: number, title: string): StreamerElement => ({ kind: 'base', name, baseVersion, title });
const int = (name: string, title: string, type: number = typeCode.int): StreamerElement => ({ kind: 'basic', name, type, typeName: 'int', size: 4, title });
const long64 = (name: string, title: string): StreamerElement => ({ kind: 'basic', name, type: typeCode.long64, typeName: 'Long64_t', size: 8, title });
const short = (name: string, title: string): StreamerElement => ({ kind: 'basic', name, type: typeCode.short, typeName: 'short', size: 2, title });
const string = (name: string, title: string): StreamerElement => ({ kind: 'string', name, title });
const objectArray = (name: string, title: string): StreamerElement => ({ kind: 'object', name, typeName: 'TObjArray', size: 64, title });
const pointer = (name: string, typeName: string, title: string): StreamerElement => ({ kind: 'objectPointer', name, typeName, size: 8, title });
const countedLong64 = (name: string, countName: string, title: string): StreamerElement => ({
  kind: 'basicPointer',
  name,
  type: typeCode.offsetPointer + typeCode.long64,
  typeName: 'Long64_t*',
  size: 8,
  countName,
  title: `[${countName}] ${title}`,
});

const namedBaseTitle = 'The basis for a named object (name, title)';
const fillBaseTitle = 'Fill area attributes';

const tobject: ClassLayout = {
  name: 'TObject',
  version: 1,
  elements: [
    { kind: 'basic', name: 'fUniqueID', type: typeCode.uint, typeName: 'unsigned int', size: 4, title: 'object unique identifier' },
    { kind: 'basic', name: 'fBits', type: typeCode.bits, typeName: 'unsigned int', size: 4, title: 'bit field status word' },
  ],
};

const tnamed: ClassLayout = {
  name: 'TNamed',
  version: 1,
  elements: [base('TObject', 1, 'Basic ROOT object'), string('fName', 'object identifier'), string('fTitle', 'object title')],
};

const tattLine: ClassLayout = {
  name: 'TAttLine',
  version: 2,
  elements: [short('fLineColor', 'Line color'), short('fLineStyle', 'Line style'), short('fLineWidth', 'Line width')],
};

const tattFill: ClassLayout = {
  name: 'TAttFill',
  version: 2,
  elements: [short('fFillColor', 'Fill area color'), short('fFillStyle', 'Fill area style')],
};

const tattMarker: ClassLayout = {
  name: 'TAttMarker',
  version: 2,
  elements: [
    short('fMarkerColor', 'Marker color'),
    short('fMarkerStyle', 'Marker style'),
    { kind: 'basic', name: 'fMarkerSize', type: typeCode.float, typeName: 'float', size: 4, title: 'Marker size' },
  ],
};

const tioFeatures: ClassLayout = {
  name: 'ROOT::TIOFeatures',
  version: 1,
  elements: [{ kind: 'basic', name: 'fIOBits', type: typeCode.uchar, typeName: 'unsigned char', size: 1, title: '' }],
};

const ttree: ClassLayout = {
  name: 'TTree',
  version: 20,
  elements: [
    base('TNamed', 1, namedBaseTitle),
    base('TAttLine', 2, 'Line attributes'),
    base('TAttFill', 2, fillBaseTitle),
    base('TAttMarker', 2, 'Marker attributes'),
    long64('fEntries', 'Number of entries'),
    long64('fTotBytes', 'Total number of bytes in all branches before compression'),
    long64('fZipBytes', 'Total number of bytes in all branches after compression'),
    long64('fSavedBytes', 'Number of autosaved bytes'),
    long64('fFlushedBytes', 'Number of auto-flushed bytes'),
    { kind: 'basic', name: 'fWeight', type: typeCode.double, typeName: 'double', size: 8, title: 'Tree weight (see TTree::SetWeight)' },
    int('fTimerInterval', 'Timer interval in milliseconds'),
    int('fScanField', 'Number of runs before prompting in Scan'),
    int('fUpdate', 'Update frequency for EntryLoop'),
    int('fDefaultEntryOffsetLen', 'Initial Length of fEntryOffset table in the basket buffers'),
    int('fNClusterRange', "Number of Cluster range in addition to the one defined by 'AutoFlush'", typeCode.counter),
    long64('fMaxEntries', 'Maximum number of entries in case of circular buffers'),
    long64('fMaxEntryLoop', 'Maximum number of entries to process'),
    long64('fMaxVirtualSize', 'Maximum total size of buffers kept in memory'),
    long64('fAutoSave', 'Autosave tree when fAutoSave entries written or -fAutoSave (compressed) bytes produced'),
    long64('fAutoFlush', 'Auto-flush tree when fAutoFlush entries written or -fAutoFlush (compressed) bytes produced'),
    long64('fEstimate', 'Number of entries to estimate histogram limits'),
    countedLong64('fClusterRangeEnd', 'fNClusterRange', 'Last entry of a cluster range.'),
    countedLong64('fClusterSize', 'fNClusterRange', 'Number of entries in each cluster for a given range.'),
    { kind: 'objectAny', name: 'fIOFeatures', typeName: 'ROOT::TIOFeatures', size: 1, title: 'IO features to define for newly-written baskets and branches.' },
    objectArray('fBranches', 'List of Branches'),
    objectArray('fLeaves', 'Direct pointers to individual branch leaves'),
    pointer('fAliases', 'TList*', 'List of aliases for expressions based on the tree branches.'),
    { kind: 'objectAny', name: 'fIndexValues', typeName: 'TArrayD', size: 24, title: 'Sorted index values' },
    { kind: 'objectAny', name: 'fIndex', typeName: 'TArrayI', size: 24, title: 'Index of sorted values' },
    pointer('fTreeIndex', 'TVirtualIndex*', 'Pointer to the tree Index (if any)'),
    pointer('fFriends', 'TList*', 'pointer to list of friend elements'),
    pointer('fUserInfo', 'TList*', 'pointer to a list of user objects associated to this Tree'),
    pointer('fBranchRef', 'TBranchRef*', 'Branch supporting the TRefTable (if any)'),
  ],
};

const tbranch: ClassLayout = {
  name: 'TBranch',
  version: 13,
  elements: [
    base('TNamed', 1, namedBaseTitle),
    base('TAttFill', 2, fillBaseTitle),
    int('fCompress', 'Compression level and algorithm'),
    int('fBasketSize', 'Initial Size of  Basket Buffer'),
    int('fEntryOffsetLen', 'Initial Length of fEntryOffset table in the basket buffers'),
    int('fWriteBasket', 'Last basket number written'),
    long64('fEntryNumber', 'Current entry number (last one filled in this branch)'),
    { kind: 'objectAny', name: 'fIOFeatures', typeName: 'ROOT::TIOFeatures', size: 1, title: 'IO features for newly-created baskets.' },
    int('fOffset', 'Offset of this branch'),
    int('fMaxBaskets', 'Maximum number of Baskets so far', typeCode.counter),
    int('fSplitLevel', 'Branch split level'),
    long64('fEntries', 'Number of entries'),
    long64('fFirstEntry', 'Number of the first entry in this branch'),
    long64('fTotBytes', 'Total number of bytes in all leaves before compression'),
    long64('fZipBytes', 'Total number of bytes in all leaves after compression'),
    objectArray('fBranches', '-> List of Branches of this branch'),
    objectArray('fLeaves', '-> List of leaves of this branch'),
    objectArray('fBaskets', '-> List of baskets of this branch'),
    {
      kind: 'basicPointer',
      name: 'fBasketBytes',
      type: typeCode.offsetPointer + typeCode.int,
      typeName: 'int*',
      size: 4,
      countName: 'fMaxBaskets',
      title: '[fMaxBaskets] Length of baskets on file',
    },
    countedLong64('fBasketEntry', 'fMaxBaskets', 'Table of first entry in each basket'),
    countedLong64('fBasketSeek', 'fMaxBaskets', 'Addresses of baskets on file'),
    string('fFileName', 'Name of file where buffers are stored ("" if in same file as Tree header)'),
  ],
};

const tleaf: ClassLayout = {
  name: 'TLeaf',
  version: 2,
  elements: [
    base('TNamed', 1, namedBaseTitle),
    int('fLen', 'Number of fixed length elements'),
    int('fLenType', 'Number of bytes for this data type'),
    int('fOffset', 'Offset in ClonesArray object (if one)'),
    { kind: 'basic', name: 'fIsRange', type: typeCode.bool, typeName: 'bool', size: 1, title: '(=kTRUE if leaf has a range, kFALSE otherwise)' },
    { kind: 'basic', name: 'fIsUnsigned', type: typeCode.bool, typeName: 'bool', size: 1, title: '(=kTRUE if unsigned, kFALSE otherwise)' },
    pointer('fLeafCount', 'TLeaf*', 'Pointer to Leaf count if variable length (we do not own the counter)'),
  ],
};

/** A TLeaf subclass for one C++ type: `fMinimum` and `fMaximum` of that type. */
function numericLeaf(name: string, type: number, typeName: string, size: number): ClassLayout {
  const member = (memberName: string, title: string): StreamerElement => ({ kind: 'basic', name: memberName, type, typeName, size, title });
  return {
    name,
    version: 1,
    elements: [
      base('TLeaf', 2, 'Leaf: description of a Branch data type'),
      member('fMinimum', 'Minimum value if leaf range is specified'),
      member('fMaximum', 'Maximum value if leaf range is specified'),
    ],
  };
}

/** The layouts this writer can produce, keyed by class name. */
export const classLayouts: ReadonlyMap<string, ClassLayout> = new Map(
  [
    tobject,
    tnamed,
    tattLine,
    tattFill,
    tattMarker,
    tioFeatures,
    ttree,
    tbranch,
    tleaf,
    numericLeaf('TLeafF', typeCode.float, 'float', 4),
    numericLeaf('TLeafD', typeCode.double, 'double', 8),
    numericLeaf('TLeafI', typeCode.int, 'int', 4),
    numericLeaf('TLeafL', typeCode.long64, 'Long64_t', 8),
    numericLeaf('TLeafO', typeCode.bool, 'bool', 1),
    numericLeaf('TLeafB', typeCode.char, 'char', 1),
  ].map((layout) => [layout.name, layout]),
);

function requireLayout(name: string): ClassLayout {
  const layout = classLayouts.get(name);
  if (layout === undefined) throw new Error(`the ROOT writer has no streamer layout for class ${name}`);
  return layout;
}

function mix(id: number, text: string): number {
  let result = id;
  for (let i = 0; i < text.length; i++) result = (Math.imul(result, 3) + text.charCodeAt(i)) >>> 0;
  return result;
}

/**
 * Computes ROOT's checksum of a class layout (TStreamerInfo::GetCheckSum, latest variant): the
 * class name, each base name and base checksum, then each member's name, type name and
 * array-count name, folded as id = id * 3 + c in 32-bit unsigned arithmetic.
 */
export function classCheckSum(name: string): number {
  const layout = requireLayout(name);
  let id = mix(0, layout.name);
  for (const element of layout.elements) {
    if (element.kind !== 'base') continue;
    id = mix(id, element.name);
    id = (Math.imul(id, 3) + classCheckSum(element.name)) >>> 0;
  }
  for (const element of layout.elements) {
    if (element.kind === 'base') continue;
    id = mix(id, element.name);
    id = mix(id, element.kind === 'string' ? 'TString' : element.typeName);
    if (element.kind === 'basicPointer') id = mix(id, element.countName);
  }
  return id;
}

/** Every class that `classNames` needs, bases first, each once. */
export function withBaseClasses(classNames: Iterable<string>): string[] {
  const ordered: string[] = [];
  const visit = (name: string): void => {
    if (ordered.includes(name)) return;
    for (const element of requireLayout(name).elements) if (element.kind === 'base') visit(element.name);
    ordered.push(name);
  };
  for (const name of classNames) visit(name);
  return ordered;
}

/** TObject::Streamer: version 1, fUniqueID, fBits (kNotDeleted and kIsOnHeap set, as ROOT writes them). */
export function writeTObject(writer: ByteWriter): void {
  writer.i16(1);
  writer.u32(0);
  writer.u32(0x03000000);
}

/** TNamed::Streamer. */
export function writeTNamed(writer: ByteWriter, name: string, title: string): void {
  const start = writer.startVersioned(1);
  writeTObject(writer);
  writer.tstring(name);
  writer.tstring(title);
  writer.endByteCount(start);
}

function elementClassName(element: StreamerElement): string {
  switch (element.kind) {
    case 'base':
      return 'TStreamerBase';
    case 'basic':
      return 'TStreamerBasicType';
    case 'basicPointer':
      return 'TStreamerBasicPointer';
    case 'object':
      return 'TStreamerObject';
    case 'objectAny':
      return 'TStreamerObjectAny';
    case 'objectPointer':
      return 'TStreamerObjectPointer';
    case 'string':
      return 'TStreamerString';
  }
}

/** TStreamerElement version 4: TNamed, fType, fSize, fArrayLength, fArrayDim, fMaxIndex[5], fTypeName. */
function writeElementCore(writer: ByteWriter, element: StreamerElement): void {
  let type: number;
  let size: number;
  let typeName: string;
  // ROOT keeps the checksum of a base class in fMaxIndex[1] of its TStreamerBase.
  const maxIndex = [0, 0, 0, 0, 0];
  switch (element.kind) {
    case 'base':
      type = element.name === 'TObject' ? typeCode.tobject : element.name === 'TNamed' ? typeCode.tnamed : 0;
      size = 0;
      typeName = 'BASE';
      maxIndex[1] = classCheckSum(element.name);
      break;
    case 'string':
      type = typeCode.tstring;
      size = 24;
      typeName = 'TString';
      break;
    case 'object':
      type = typeCode.object;
      ({ size, typeName } = element);
      break;
    case 'objectAny':
      type = typeCode.any;
      ({ size, typeName } = element);
      break;
    case 'objectPointer':
      type = typeCode.objectPointer;
      ({ size, typeName } = element);
      break;
    default:
      ({ type, size, typeName } = element);
  }
  const start = writer.startVersioned(4);
  writeTNamed(writer, element.name, element.title);
  writer.i32(type);
  writer.i32(size);
  writer.i32(0);
  writer.i32(0);
  for (const value of maxIndex) writer.u32(value);
  writer.tstring(typeName);
  writer.endByteCount(start);
}

function writeElement(writer: ByteWriter, element: StreamerElement, owner: ClassLayout): void {
  const start = writer.startVersioned(element.kind === 'base' ? 3 : 2);
  writeElementCore(writer, element);
  if (element.kind === 'base') writer.i32(element.baseVersion);
  if (element.kind === 'basicPointer') {
    writer.i32(owner.version);
    writer.tstring(element.countName);
    writer.tstring(owner.name);
  }
  writer.endByteCount(start);
}

/** TStreamerInfo version 9: TNamed, fCheckSum, fClassVersion, and a TObjArray of elements. */
function writeStreamerInfo(writer: ByteWriter, layout: ClassLayout): void {
  const start = writer.startVersioned(9);
  writeTNamed(writer, layout.name, '');
  writer.u32(classCheckSum(layout.name));
  writer.i32(layout.version);
  writer.object('TObjArray', () => {
    const arrayStart = writer.startVersioned(3);
    writeTObject(writer);
    writer.tstring('');
    writer.i32(layout.elements.length);
    writer.i32(0);
    for (const element of layout.elements) writer.object(elementClassName(element), () => writeElement(writer, element, layout));
    writer.endByteCount(arrayStart);
  });
  writer.endByteCount(start);
}

/**
 * Serialises the TList of TStreamerInfo records for `classNames` and their bases, as stored
 * in the file's "StreamerInfo" key.
 * @param displacement the header length of the key that will hold the list.
 */
export function serializeStreamerInfoList(classNames: Iterable<string>, displacement: number): Uint8Array {
  const writer = new ByteWriter(displacement, 16384);
  const classes = withBaseClasses(classNames);
  const start = writer.startVersioned(5);
  writeTObject(writer);
  writer.tstring('');
  writer.i32(classes.length);
  for (const name of classes) {
    writer.object('TStreamerInfo', () => writeStreamerInfo(writer, requireLayout(name)));
    writer.tstring('');
  }
  writer.endByteCount(start);
  return writer.bytes().slice();
}
