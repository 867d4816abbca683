/**
 * The records of a ROOT file outside the objects themselves, in the small-file layout
 * (32-bit seek pointers, files under 2 GiB), as TFile, TKey, TDirectoryFile and TFree write
 * them:
 *
 *   file header   "root", fVersion, fBEGIN, fEND, fSeekFree, fNbytesFree, nfree, fNbytesName,
 *                 fUnits, fCompress, fSeekInfo, fNbytesInfo, fUUID; zero-filled up to fBEGIN = 100
 *   TKey header   fNbytes i32, fVersion i16 (4), fObjlen i32, fDatime u32, fKeylen i16,
 *                 fCycle i16, fSeekKey i32, fSeekPdir i32, class name, name, title (TStrings)
 *   directory     fVersion i16 (5), fDatimeC, fDatimeM, fNbytesKeys, fNbytesName, fSeekDir,
 *                 fSeekParent, fSeekKeys (i32 each), fUUID, 12 zero bytes reserved for 64-bit seeks
 *   TFree         fVersion i16 (1), fFirst i32, fLast i32
 */

import { UnsupportedError } from '../../errors.js';
import { ByteWriter } from './byte-writer.js';

/** Position of the first key (kBEGIN). */
export const fileBegin = 100;
/** Bytes of a directory record in a file with 32-bit seeks (TDirectoryFile::Sizeof). */
export const directoryRecordSize = 60;
/** fVersion written in the file header: ROOT 6.26/00. */
export const rootFileVersion = 62600;
/** Largest position that a 32-bit seek pointer can hold. */
const maxSmallSeek = 0x7fffffff;
/** End of the free segment that ROOT records after the last byte written (kStartBigFile). */
const startBigFile = 2000000000;

/** Bytes of a TString holding `text`. */
export function tstringLength(text: string): number {
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes + (bytes < 255 ? 1 : 5);
}

/** Header length of a key (fKeylen) with these names, without any object-specific fields. */
export function keyHeaderLength(className: string, name: string, title: string): number {
  return 26 + tstringLength(className) + tstringLength(name) + tstringLength(title);
}

/** Encodes a date as TDatime: (year − 1995) << 26 | month << 22 | day << 17 | hour << 12 | minute << 6 | second, in UTC. */
export function encodeDatime(date: Date): number {
  const year = date.getUTCFullYear();
  if (year < 1995 || year > 2058) throw new RangeError(`TDatime holds years 1995 to 2058, not ${year}`);
  return (
    (((year - 1995) << 26) |
      ((date.getUTCMonth() + 1) << 22) |
      (date.getUTCDate() << 17) |
      (date.getUTCHours() << 12) |
      (date.getUTCMinutes() << 6) |
      date.getUTCSeconds()) >>>
    0
  );
}

/** Checks that `position` fits a 32-bit seek pointer, because this writer produces only small files. */
export function checkSmallSeek(position: number, file: string): void {
  if (position > maxSmallSeek) {
    throw new UnsupportedError(
      `ROOT file ${file} would grow beyond 2 GiB, and the writer supports only 32-bit seek pointers; write the tree to several files`,
      { file },
    );
  }
}

export interface KeyFields {
  className: string;
  name: string;
  title: string;
  /** Bytes of the object before compression (fObjlen). */
  objectLength: number;
  /** Bytes stored after the key header (compressed or not). */
  storedLength: number;
  /** fKeylen: the key header plus any object fields written before the stored bytes (a TBasket's). */
  keyLength: number;
  datime: number;
  seekKey: number;
  seekParentDirectory: number;
  cycle?: number;
}

/** Writes a TKey header (version 4, 32-bit seeks). */
export function writeKeyHeader(writer: ByteWriter, key: KeyFields): void {
  writer.i32(key.keyLength + key.storedLength);
  writer.i16(4);
  writer.i32(key.objectLength);
  writer.u32(key.datime);
  writer.i16(key.keyLength);
  writer.i16(key.cycle ?? 1);
  writer.i32(key.seekKey);
  writer.i32(key.seekParentDirectory);
  writer.tstring(key.className);
  writer.tstring(key.name);
  writer.tstring(key.title);
}

/** A complete key for an object that has no fields of its own before the stored bytes. */
export function buildKey(fields: Omit<KeyFields, 'storedLength' | 'keyLength'>, stored: Uint8Array): Uint8Array {
  const keyLength = keyHeaderLength(fields.className, fields.name, fields.title);
  const writer = new ByteWriter(0, keyLength + stored.length);
  writeKeyHeader(writer, { ...fields, keyLength, storedLength: stored.length });
  writer.raw(stored);
  return writer.bytes();
}

/** A ROOT UUID record: version 1 and 16 bytes. */
export function writeUuid(writer: ByteWriter, uuid: Uint8Array): void {
  writer.i16(1);
  writer.raw(uuid);
}

export interface FileHeaderFields {
  end: number;
  seekFree: number;
  nbytesFree: number;
  nbytesName: number;
  compress: number;
  seekInfo: number;
  nbytesInfo: number;
  uuid: Uint8Array;
}

/** The file header, `fileBegin` bytes. */
export function buildFileHeader(fields: FileHeaderFields): Uint8Array {
  const writer = new ByteWriter(0, fileBegin);
  writer.raw(Buffer.from('root', 'latin1'));
  writer.i32(rootFileVersion);
  writer.i32(fileBegin);
  writer.i32(fields.end);
  writer.i32(fields.seekFree);
  writer.i32(fields.nbytesFree);
  writer.i32(1); // nfree: one free segment, from fEND on
  writer.i32(fields.nbytesName);
  writer.u8(4); // fUnits: 4-byte seek pointers
  writer.i32(fields.compress);
  writer.i32(fields.seekInfo);
  writer.i32(fields.nbytesInfo);
  writeUuid(writer, fields.uuid);
  writer.raw(new Uint8Array(fileBegin - writer.length));
  return writer.bytes();
}

export interface DirectoryFields {
  datime: number;
  nbytesKeys: number;
  nbytesName: number;
  seekKeys: number;
  uuid: Uint8Array;
}

/**
 * The key of the top directory at `fileBegin`: a TKey of class TFile, the file's name and
 * title as TStrings, then the directory record.
 */
export function buildTopDirectoryKey(fileName: string, title: string, fields: DirectoryFields): Uint8Array {
  const keyLength = keyHeaderLength('TFile', fileName, title);
  const namesLength = tstringLength(fileName) + tstringLength(title);
  const writer = new ByteWriter(0, keyLength + namesLength + directoryRecordSize);
  writeKeyHeader(writer, {
    className: 'TFile',
    name: fileName,
    title,
    objectLength: namesLength + directoryRecordSize,
    storedLength: namesLength + directoryRecordSize,
    keyLength,
    datime: fields.datime,
    seekKey: fileBegin,
    seekParentDirectory: 0,
  });
  writer.tstring(fileName);
  writer.tstring(title);
  writer.i16(5);
  writer.u32(fields.datime);
  writer.u32(fields.datime);
  writer.i32(fields.nbytesKeys);
  writer.i32(fields.nbytesName);
  writer.i32(fileBegin); // fSeekDir
  writer.i32(0); // fSeekParent
  writer.i32(fields.seekKeys);
  writeUuid(writer, fields.uuid);
  writer.raw(new Uint8Array(12));
  return writer.bytes();
}

/** Total bytes of the top directory key for a file name and title. */
export function topDirectoryKeyLength(fileName: string, title: string): number {
  return keyHeaderLength('TFile', fileName, title) + tstringLength(fileName) + tstringLength(title) + directoryRecordSize;
}

/** The free-segments record's data: one TFree from `end` to kStartBigFile. */
export function buildFreeSegments(end: number): Uint8Array {
  const writer = new ByteWriter(0, 10);
  writer.i16(1);
  writer.i32(end);
  writer.i32(startBigFile);
  return writer.bytes();
}
