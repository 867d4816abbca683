/**
 * The framing of the external-trainer protocol (docs/external-trainer.md). Every message is
 * one line of UTF-8 JSON without embedded newlines, terminated by "\n". When the JSON object
 * has a `payloads` list, the raw bytes of each listed array follow the newline back to back:
 * little-endian float32 or int32, row-major, product(shape) × 4 bytes each.
 */

import { BhiveError } from '../../errors.js';

/** Version that bhive sends in `hello` and expects back in `ready`. */
export const protocolVersion = 1;

/** Largest JSON line accepted from a worker, in bytes; a longer line means the worker writes something else. */
export const maxLineBytes = 1 << 20;

export type PayloadDtype = 'float32' | 'int32';

/** Description of one binary array in a message's `payloads` list. */
export interface PayloadHeader {
  name: string;
  dtype: PayloadDtype;
  shape: number[];
}

/** One array with its name and shape, such as `global` float32 [jets, features]. */
export interface Payload {
  name: string;
  shape: number[];
  values: Float32Array | Int32Array;
}

/** A decoded protocol message: the JSON object (with `type`) and its payloads. */
export interface Frame {
  message: { type: string; [key: string]: unknown };
  payloads: Payload[];
}

/** A worker's output that does not follow the protocol. */
export class ProtocolError extends BhiveError {}

/** Encode `message` and `payloads` as the buffers to write, in order. */
export function encodeFrame(message: { type: string; [key: string]: unknown }, payloads: Payload[] = []): Buffer[] {
  const headers: PayloadHeader[] = payloads.map((p) => {
    const expected = p.shape.reduce((a, b) => a * b, 1);
    if (expected !== p.values.length) {
      throw new BhiveError(`payload '${p.name}' has ${p.values.length} values but shape [${p.shape.join(', ')}] needs ${expected}`);
    }
    return { name: p.name, dtype: p.values instanceof Float32Array ? 'float32' : 'int32', shape: p.shape };
  });
  const json = JSON.stringify(payloads.length > 0 ? { ...message, payloads: headers } : message);
  const buffers: Buffer[] = [Buffer.from(json + '\n', 'utf8')];
  for (const p of payloads) {
    // Node runs on little-endian hosts only (x64, arm64), so the typed array's bytes are already little-endian.
    buffers.push(Buffer.from(p.values.buffer, p.values.byteOffset, p.values.byteLength));
  }
  return buffers;
}

/** Incremental decoder: `push` stdout chunks, then take complete frames with `next`. */
export class FrameDecoder {
  private buffered: Buffer[] = [];

  push(chunk: Buffer): void {
    this.buffered.push(chunk);
  }

  /** Bytes received but not yet decoded, as text for error messages (at most `limit` characters). */
  pendingText(limit = 200): string {
    return Buffer.concat(this.buffered).subarray(0, limit).toString('utf8');
  }

  /** Decode the next complete frame; undefined while it is incomplete. Throws a ProtocolError on invalid output. */
  next(): Frame | undefined {
    const data = this.buffered.length === 1 ? this.buffered[0] : Buffer.concat(this.buffered);
    this.buffered = [data];
    const newline = data.indexOf(10);
    if (newline < 0) {
      if (data.length > maxLineBytes) throw new ProtocolError(`worker wrote ${data.length} bytes without a newline; expected one JSON message per line`);
      return undefined;
    }
    const line = data.subarray(0, newline).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new ProtocolError(`worker wrote a line that is not JSON: ${JSON.stringify(line.slice(0, 200))}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || typeof (parsed as { type?: unknown }).type !== 'string') {
      throw new ProtocolError(`worker wrote JSON without a string "type": ${JSON.stringify(line.slice(0, 200))}`);
    }
    const message = parsed as Frame['message'];
    const headers = parsePayloadHeaders(message.payloads);
    const sizes = headers.map((h) => h.shape.reduce((a, b) => a * b, 1) * 4);
    const total = sizes.reduce((a, b) => a + b, 0);
    if (data.length < newline + 1 + total) return undefined;

    const payloads: Payload[] = [];
    let offset = newline + 1;
    headers.forEach((h, i) => {
      // Copy into a fresh, aligned buffer: the offset in `data` need not be a multiple of 4.
      const bytes = new Uint8Array(sizes[i]);
      bytes.set(data.subarray(offset, offset + sizes[i]));
      payloads.push({ name: h.name, shape: h.shape, values: h.dtype === 'float32' ? new Float32Array(bytes.buffer) : new Int32Array(bytes.buffer) });
      offset += sizes[i];
    });
    const rest = data.subarray(offset);
    this.buffered = rest.length > 0 ? [rest] : [];
    delete message.payloads;
    return { message, payloads };
  }
}

function parsePayloadHeaders(value: unknown): PayloadHeader[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ProtocolError(`"payloads" must be a list; worker sent ${JSON.stringify(value)}`);
  return value.map((entry: unknown) => {
    const h = entry as Partial<PayloadHeader>; // checked field by field below
    const validShape = Array.isArray(h.shape) && h.shape.every((d) => Number.isInteger(d) && d >= 0);
    if (typeof h.name !== 'string' || (h.dtype !== 'float32' && h.dtype !== 'int32') || !validShape) {
      throw new ProtocolError(`invalid payload header ${JSON.stringify(entry)}; expected { "name": string, "dtype": "float32" | "int32", "shape": [integers] }`);
    }
    return { name: h.name, dtype: h.dtype, shape: h.shape as number[] };
  });
}
