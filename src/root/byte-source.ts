/**
 * Byte sources: random access to the bytes of a ROOT file, either a local path or an
 * `http://` / `https://` URL read with HTTP range requests. Every read returns exactly the
 * requested bytes or throws, so a truncated file never yields short data.
 */

import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { rootMessages } from './messages.js';

/** Random access to the bytes of one file. */
export interface ByteSource {
  /** The path or URL, for messages. */
  readonly location: string;
  /** Size of the file in bytes. */
  readonly size: number;
  /**
   * Reads `length` bytes starting at byte `offset`.
   * @throws InputError when the range lies beyond the end of the file or the read fails.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Counters of one byte source, for benchmarks and progress reports. */
export interface ByteSourceCounters {
  numReads: number;
  bytesRead: number;
}

function isUrl(location: string): boolean {
  return location.startsWith('http://') || location.startsWith('https://');
}

function checkRange(location: string, size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new InputError(rootMessages.readBeyondEnd(location, offset, length, size), { file: location });
  }
}

class LocalFileSource implements ByteSource {
  readonly counters: ByteSourceCounters = { numReads: 0, bytesRead: 0 };

  constructor(
    readonly location: string,
    readonly size: number,
    private readonly handle: FileHandle,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.location, this.size, offset, length);
    const bytes = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(bytes, done, length - done, offset + done);
      if (bytesRead === 0) {
        throw new InputError(rootMessages.readBeyondEnd(this.location, offset, length, offset + done), { file: this.location });
      }
      done += bytesRead;
    }
    this.counters.numReads++;
    this.counters.bytesRead += length;
    return bytes;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

class HttpSource implements ByteSource {
  readonly counters: ByteSourceCounters = { numReads: 0, bytesRead: 0 };

  constructor(
    readonly location: string,
    readonly size: number,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.location, this.size, offset, length);
    if (length === 0) return new Uint8Array(0);
    const bytes = await fetchRange(this.location, offset, length);
    if (bytes.length !== length) {
      throw new InputError(rootMessages.httpShortRead(this.location, offset, length, bytes.length), { file: this.location });
    }
    this.counters.numReads++;
    this.counters.bytesRead += length;
    return bytes;
  }

  async close(): Promise<void> {}
}

async function fetchRange(url: string, offset: number, length: number): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Range: `bytes=${offset}-${offset + length - 1}` } });
  } catch (cause) {
    throw new InputError(rootMessages.httpFailed(url, String(cause)), { file: url }, { cause });
  }
  if (response.status !== 206) {
    // A server that ignores Range answers 200 with the whole file, which is unusable for large files.
    await response.body?.cancel();
    throw new InputError(rootMessages.httpNoRange(url, response.status), { file: url });
  }
  return new Uint8Array(await response.arrayBuffer());
}

async function openHttpSource(url: string): Promise<ByteSource> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Range: 'bytes=0-0' } });
  } catch (cause) {
    throw new InputError(rootMessages.httpFailed(url, String(cause)), { file: url }, { cause });
  }
  await response.arrayBuffer();
  if (response.status === 404) throw new InputError(rootMessages.fileNotFound(url), { file: url });
  const contentRange = response.headers.get('content-range') ?? '';
  const match = /\/(\d+)\s*$/.exec(contentRange);
  if (response.status !== 206 || !match) throw new InputError(rootMessages.httpNoRange(url, response.status), { file: url });
  return new HttpSource(url, Number(match[1]));
}

async function openLocalSource(file: string): Promise<ByteSource> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (cause) {
    throw new InputError(rootMessages.fileNotFound(file), { file }, { cause });
  }
  const { size } = await handle.stat();
  return new LocalFileSource(file, size, handle);
}

/**
 * Opens a local path or an `http(s)://` URL for random access.
 * @throws InputError when the file does not exist, or the server does not answer range requests.
 */
export async function openByteSource(location: string): Promise<ByteSource> {
  return isUrl(location) ? openHttpSource(location) : openLocalSource(location);
}
