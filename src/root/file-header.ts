/**
 * The TFile header and the top directory record, parsed by bhive before jsroot sees the
 * file. jsroot 7.11 reads the version as unsigned (so a negative version selects the
 * 64-bit layout by mistake) and rejects files without streamer info, so these cases are
 * recognised here first. Layout as in ROOT's TFile::Init and TDirectoryFile::ReadKeys.
 */

import { InputError } from '../errors.js';
import type { ByteSource } from './byte-source.js';
import { type Decompressors, decompressObject } from './compression.js';
import { rootMessages } from './messages.js';

/** Fields of the TFile header that the reader uses. Offsets are in bytes from the start of the file. */
export interface FileHeader {
  /** `fVersion` read as a signed 32-bit integer; at least 1000000 means 64-bit seek pointers. */
  version: number;
  largeFile: boolean;
  begin: number;
  /** End of the data according to the header; a file that was never closed may continue past it. */
  end: number;
  nbytesName: number;
  compression: number;
  seekInfo: number;
  nbytesInfo: number;
  /** Position of the key list of the top directory, 0 when the file was never closed. */
  seekKeys: number;
  nbytesKeys: number;
}

/** Enough bytes for the header and, in every ROOT version, the top directory record. */
const HEADER_READ_BYTES = 512;

function readUint64(view: DataView, offset: number): number {
  const high = view.getUint32(offset);
  const low = view.getUint32(offset + 4);
  return high * 2 ** 32 + low;
}

/**
 * Reads and checks the header of a ROOT file.
 * @throws InputError when the file does not start with `root`, is shorter than its header, or
 *   the header points outside the file.
 */
export async function readFileHeader(source: ByteSource): Promise<FileHeader> {
  const file = source.location;
  if (source.size < 64) throw new InputError(rootMessages.notRootFile(file, 'it is shorter than a ROOT header'), { file });
  const bytes = await source.read(0, Math.min(HEADER_READ_BYTES, source.size));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== 'root') throw new InputError(rootMessages.notRootFile(file, `it starts with '${magic}', not 'root'`), { file });

  const version = view.getInt32(4);
  const largeFile = version >= 1000000;
  const begin = view.getUint32(8);
  let header: Omit<FileHeader, 'seekKeys' | 'nbytesKeys'>;
  if (largeFile) {
    header = {
      version, largeFile, begin,
      end: readUint64(view, 12),
      nbytesName: view.getUint32(36),
      compression: view.getUint32(41),
      seekInfo: readUint64(view, 45),
      nbytesInfo: view.getUint32(53),
    };
  } else {
    header = {
      version, largeFile, begin,
      end: view.getUint32(12),
      nbytesName: view.getUint32(28),
      compression: view.getUint32(33),
      seekInfo: view.getUint32(37),
      nbytesInfo: view.getUint32(41),
    };
  }

  // The TDirectory record of the top directory follows the file's own TKey and name.
  const directory = begin + header.nbytesName;
  if (directory + 42 > source.size || header.nbytesName > 100000) {
    throw new InputError(rootMessages.badHeader(file, `the top directory record at byte ${directory} lies outside the file`), { file });
  }
  const record = directory + 42 <= bytes.length ? view : new DataView((await source.read(directory, 42)).buffer);
  const at = record === view ? directory : 0;
  const directoryVersion = record.getInt16(at);
  const nbytesKeys = record.getUint32(at + 10);
  const seekKeys = directoryVersion > 1000 ? readUint64(record, at + 34) : record.getUint32(at + 26);

  if (seekKeys + nbytesKeys > source.size || header.seekInfo + header.nbytesInfo > source.size) {
    throw new InputError(
      rootMessages.badHeader(file, `its key list (byte ${seekKeys}) or streamer info (byte ${header.seekInfo}) lies beyond the end of the file (${source.size} bytes)`),
      { file },
    );
  }
  return { ...header, seekKeys, nbytesKeys };
}

/**
 * Counts the keys of the top directory from its key list, without jsroot.
 * The list is a TKey header followed by a 32-bit key count.
 */
export async function countTopKeys(source: ByteSource, header: FileHeader): Promise<number> {
  const bytes = await source.read(header.seekKeys, Math.min(header.nbytesKeys, source.size - header.seekKeys));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 18) throw new InputError(rootMessages.badHeader(source.location, 'its key list is shorter than a key header'), { file: source.location });
  const keyLength = view.getUint16(14);
  if (keyLength + 4 > bytes.length) throw new InputError(rootMessages.badHeader(source.location, 'its key list is truncated'), { file: source.location });
  return view.getInt32(keyLength);
}

/**
 * Decompresses the streamer info record with bhive's native decoders, so that damage is
 * reported at once: jsroot decodes it with its JavaScript inflate, which can spend many
 * seconds on damaged data before it fails. Cost: one read and decompression of the record.
 * @throws InputError when the record is damaged.
 */
export async function verifyStreamerInfo(source: ByteSource, header: FileHeader, decompressors: Decompressors): Promise<void> {
  const file = source.location;
  const bytes = await source.read(header.seekInfo, header.nbytesInfo);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const damaged = (why: string, cause?: unknown): InputError =>
    new InputError(rootMessages.badHeader(file, `its streamer info ${why}`), { file }, cause === undefined ? undefined : { cause });
  if (bytes.length < 18) throw damaged('is shorter than a key header');
  const objectLength = view.getInt32(6);
  const keyLength = view.getUint16(14);
  if (keyLength >= bytes.length || objectLength <= 0) throw damaged(`has an invalid key (key length ${keyLength}, object length ${objectLength})`);
  const payload = bytes.subarray(keyLength);
  if (payload.length >= objectLength) return;
  try {
    decompressObject(payload, objectLength, decompressors);
  } catch (cause) {
    throw damaged(`cannot be decompressed: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
}
