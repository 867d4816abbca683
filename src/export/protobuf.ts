/**
 * A minimal Protocol Buffers encoder: enough of the wire format (varints, 32-bit floats and
 * length-delimited fields) to write ONNX models. Messages are built as lists of encoded
 * fields and concatenated once, when their length is known.
 */

/** Wire types of the protobuf encoding. */
const varintWire = 0;
const lengthDelimitedWire = 2;
const fixed32Wire = 5;

/** The encoded fields of one message, in order. */
export class ProtoMessage {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  /** Byte length of the encoded message. */
  get length(): number {
    return this.size;
  }

  /** Append an integer field (int32, int64, enum) as a varint. Negative values take ten bytes, as in protobuf. */
  int(field: number, value: number | bigint): this {
    this.push(encodeVarint(BigInt(field) << 3n | BigInt(varintWire)));
    this.push(encodeVarint(BigInt.asUintN(64, BigInt(value))));
    return this;
  }

  /** Append a float field as little-endian IEEE 754 single precision. */
  float(field: number, value: number): this {
    this.push(encodeVarint(BigInt(field) << 3n | BigInt(fixed32Wire)));
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
    return this;
  }

  /** Append a string field, UTF-8 encoded. */
  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  /** Append a bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.push(encodeVarint(BigInt(field) << 3n | BigInt(lengthDelimitedWire)));
    this.push(encodeVarint(BigInt(value.length)));
    this.push(value);
    return this;
  }

  /** Append an embedded message field. */
  message(field: number, value: ProtoMessage): this {
    return this.bytes(field, value.encode());
  }

  /** Return the whole message as bytes. */
  encode(): Uint8Array {
    const result = new Uint8Array(this.size);
    let offset = 0;
    for (const part of this.parts) {
      result.set(part, offset);
      offset += part.length;
    }
    return result;
  }

  private push(part: Uint8Array): void {
    this.parts.push(part);
    this.size += part.length;
  }
}

/** Encodes an unsigned integer below 2^64 as a base-128 varint, least significant group first. */
export function encodeVarint(value: bigint): Uint8Array {
  if (value < 0n || value >= 1n << 64n) throw new RangeError(`varint ${value} is outside 0 to 2^64 - 1`);
  const bytes: number[] = [];
  let rest = value;
  do {
    let byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest !== 0n) byte |= 0x80;
    bytes.push(byte);
  } while (rest !== 0n);
  return Uint8Array.from(bytes);
}
