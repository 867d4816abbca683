/**
 * A minimal ZIP writer and reader for `.npz` files: members stored or deflated (methods 0
 * and 8), no encryption, no multi-disk archives. The reader accepts the ZIP64 extra field
 * that NumPy's `savez` writes; the writer refuses archives above 4 GiB instead of writing ZIP64.
 * Format: PKWARE APPNOTE.TXT, sections 4.3 (structure) and 4.5.3 (ZIP64 extra field).
 */

import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { UnsupportedError } from '../errors.js';

/** A malformed ZIP archive; callers rethrow it with the file name. */
export class ZipFormatError extends Error {}

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Computes the CRC-32 (ISO 3309, polynomial 0xEDB88320) of `bytes`, as used by ZIP and gzip. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;
const MAX_32 = 0xffffffff;
// MS-DOS date of 1980-01-01 00:00: a fixed timestamp keeps archives byte-identical between runs.
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;

/**
 * Writes entries into one ZIP archive, deflated when `compress` is true, else stored.
 * The output depends only on the entries and `compress`, so it is byte-identical between runs.
 */
export function writeZip(entries: ZipEntry[], compress: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;

  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name);
    const crc = crc32(entry.data);
    const body = compress ? new Uint8Array(deflateRawSync(entry.data)) : entry.data;
    const method = compress ? DEFLATED : STORED;
    if (entry.data.length >= MAX_32 || offset + body.length >= MAX_32) {
      throw new UnsupportedError(`ZIP member '${entry.name}' would pass 4 GiB, which needs ZIP64; write smaller chunks`);
    }

    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, LOCAL_HEADER, true);
    local.setUint16(4, 20, true); // version needed to extract: 2.0
    local.setUint16(6, 0, true); // flags
    local.setUint16(8, method, true);
    local.setUint16(10, DOS_TIME, true);
    local.setUint16(12, DOS_DATE, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, body.length, true);
    local.setUint32(22, entry.data.length, true);
    local.setUint16(26, name.length, true);
    local.setUint16(28, 0, true); // extra field length
    parts.push(new Uint8Array(local.buffer), name, body);

    const record = new DataView(new ArrayBuffer(46));
    record.setUint32(0, CENTRAL_HEADER, true);
    record.setUint16(4, 20, true); // version made by
    record.setUint16(6, 20, true); // version needed
    record.setUint16(8, 0, true);
    record.setUint16(10, method, true);
    record.setUint16(12, DOS_TIME, true);
    record.setUint16(14, DOS_DATE, true);
    record.setUint32(16, crc, true);
    record.setUint32(20, body.length, true);
    record.setUint32(24, entry.data.length, true);
    record.setUint16(28, name.length, true);
    // Extra length, comment length, disk number, internal and external attributes stay 0.
    record.setUint32(42, offset, true);
    central.push(new Uint8Array(record.buffer), name);

    offset += 30 + name.length + body.length;
  }

  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, END_OF_CENTRAL_DIRECTORY, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);

  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((sum, part) => sum + part.length, 0));
  let position = 0;
  for (const part of all) {
    out.set(part, position);
    position += part.length;
  }
  return out;
}

function findEndOfCentralDirectory(view: DataView): number {
  // The end record is 22 bytes plus a comment of at most 65535 bytes.
  const earliest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let p = view.byteLength - 22; p >= earliest; p--) {
    if (view.getUint32(p, true) === END_OF_CENTRAL_DIRECTORY) return p;
  }
  throw new ZipFormatError('end of central directory not found: not a ZIP archive, or a truncated one');
}

/** Reads the ZIP64 extended information extra field (tag 0x0001) for the fields that are 0xFFFFFFFF. */
function readZip64Extra(
  view: DataView,
  start: number,
  length: number,
  sizes: { uncompressed: number; compressed: number; offset: number },
): void {
  let p = start;
  while (p + 4 <= start + length) {
    const tag = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    if (tag === 0x0001) {
      let q = p + 4;
      const next = (): number => {
        const value = Number(view.getBigUint64(q, true));
        q += 8;
        return value;
      };
      if (sizes.uncompressed === MAX_32) sizes.uncompressed = next();
      if (sizes.compressed === MAX_32) sizes.compressed = next();
      if (sizes.offset === MAX_32) sizes.offset = next();
      return;
    }
    p += 4 + size;
  }
}

/**
 * Reads all members of a ZIP archive and checks each one's size and CRC-32.
 * @throws ZipFormatError for a malformed archive; UnsupportedError for methods other than stored and deflated.
 */
export function readZip(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 22) throw new ZipFormatError(`${bytes.length} bytes is too short for a ZIP archive`);
  const end = findEndOfCentralDirectory(view);
  const count = view.getUint16(end + 10, true);
  let p = view.getUint32(end + 16, true);
  const entries: ZipEntry[] = [];

  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL_HEADER) {
      throw new ZipFormatError(`central directory record ${i} is missing or damaged`);
    }
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    const sizes = {
      compressed: view.getUint32(p + 20, true),
      uncompressed: view.getUint32(p + 24, true),
      offset: view.getUint32(p + 42, true),
    };
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength));
    readZip64Extra(view, p + 46 + nameLength, extraLength, sizes);
    p += 46 + nameLength + extraLength + commentLength;

    const local = sizes.offset;
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL_HEADER) {
      throw new ZipFormatError(`local header of member '${name}' is missing or damaged`);
    }
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (dataStart + sizes.compressed > bytes.length) throw new ZipFormatError(`member '${name}' runs past the end of the archive`);
    const body = bytes.subarray(dataStart, dataStart + sizes.compressed);

    let data: Uint8Array;
    if (method === STORED) data = body;
    else if (method === DEFLATED) data = new Uint8Array(inflateRawSync(body));
    else throw new UnsupportedError(`ZIP member '${name}' uses compression method ${method}; only stored (0) and deflated (8) are supported`);

    if (data.length !== sizes.uncompressed) {
      throw new ZipFormatError(`member '${name}' has ${data.length} bytes, but the central directory records ${sizes.uncompressed}: the archive is damaged`);
    }
    if (crc32(data) !== crc) throw new ZipFormatError(`member '${name}' fails its CRC-32 check: the archive is damaged`);
    entries.push({ name, data });
  }
  return entries;
}
