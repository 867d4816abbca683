/**
 * A growable big-endian byte buffer with the conventions of ROOT's TBufferFile: TStrings,
 * byte counts, class versions, and the class and object tags of `WriteObjectAny`.
 *
 * Tags store positions in the buffer plus 2 (kMapOffset, so that 0 stays the null pointer).
 * ROOT measures them from the start of the key that holds the object, key header included,
 * so `displacement` is the key header length of the record being written.
 */

/** Set in a 32-bit byte count word so that readers know a byte count follows (kByteCountMask). */
export const byteCountMask = 0x40000000;
/** Marks a class tag that refers to a class already written in this buffer (kClassMask). */
export const classMask = 0x80000000;
/** Precedes a class name written for the first time in this buffer (kNewClassTag). */
export const newClassTag = 0xffffffff;
/** Added to buffer positions in tags, so that a tag is never 0 (kMapOffset). */
export const mapOffset = 2;

export class ByteWriter {
  private buffer: Uint8Array;
  private view: DataView;
  private position = 0;
  private readonly classTags = new Map<string, number>();
  private readonly objectTags = new Map<object, number>();

  /** @param displacement bytes before this buffer in its key (the key header length), counted in tags. */
  constructor(private readonly displacement = 0, initialSize = 1024) {
    this.buffer = new Uint8Array(initialSize);
    this.view = new DataView(this.buffer.buffer);
  }

  get length(): number {
    return this.position;
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.position);
  }

  u8(value: number): void {
    this.ensure(1);
    this.view.setUint8(this.position, value);
    this.position += 1;
  }

  i16(value: number): void {
    this.ensure(2);
    this.view.setInt16(this.position, value);
    this.position += 2;
  }

  i32(value: number): void {
    this.ensure(4);
    this.view.setInt32(this.position, value);
    this.position += 4;
  }

  u32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.position, value >>> 0);
    this.position += 4;
  }

  i64(value: number | bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.position, BigInt(value));
    this.position += 8;
  }

  f32(value: number): void {
    this.ensure(4);
    this.view.setFloat32(this.position, value);
    this.position += 4;
  }

  f64(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.position, value);
    this.position += 8;
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.position);
    this.position += bytes.length;
  }

  /** A TString: one length byte, or 255 and a 32-bit length for 255 bytes and more, then UTF-8 bytes. */
  tstring(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length < 255) {
      this.u8(bytes.length);
    } else {
      this.u8(255);
      this.i32(bytes.length);
    }
    this.raw(bytes);
  }

  /** Overwrite the 32-bit integer at `at`, which must have been written already. */
  patchI32(at: number, value: number): void {
    this.view.setInt32(at, value);
  }

  /**
   * Reserve a byte count word and write `version` (TBufferFile::WriteVersion with a byte
   * count); pass the result to `endByteCount` after the object's members.
   */
  startVersioned(version: number): number {
    const start = this.position;
    this.u32(0);
    this.i16(version);
    return start;
  }

  /** Fill in the byte count word reserved at `start`: the bytes after it, with `byteCountMask`. */
  endByteCount(start: number): void {
    this.view.setUint32(start, (this.position - start - 4) | byteCountMask);
  }

  /**
   * Write a non-null object pointer as `WriteObjectAny` does: a byte count, the class
   * (its name the first time, a tag afterwards), then the members that `writeMembers`
   * writes. `identity` registers the object, so that `objectReference` can point to it.
   */
  object(className: string, writeMembers: () => void, identity?: object): void {
    const start = this.position;
    this.u32(0);
    const classTag = this.classTags.get(className);
    if (classTag === undefined) {
      this.classTags.set(className, this.position + this.displacement + mapOffset);
      this.u32(newClassTag);
      this.raw(Buffer.from(`${className}\0`, 'latin1'));
    } else {
      this.u32(classTag | classMask);
    }
    if (identity !== undefined) this.objectTags.set(identity, start + this.displacement + mapOffset);
    writeMembers();
    this.endByteCount(start);
  }

  /** Write a pointer to an object already written with `object`: its tag, without a byte count. */
  objectReference(identity: object, what: string): void {
    const tag = this.objectTags.get(identity);
    if (tag === undefined) throw new Error(`${what} refers to an object that was not written earlier in the same buffer`);
    this.u32(tag);
  }

  /** A null object pointer (kNullTag). */
  nullPointer(): void {
    this.u32(0);
  }

  private ensure(extra: number): void {
    if (this.position + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.position + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.position));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}
