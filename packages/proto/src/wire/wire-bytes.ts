// The protobuf wire format's bytes: varints, length-delimited fields, fixed-width numbers.

export const VARINT = 0;
export const FIXED64 = 1;
export const LENGTH_DELIMITED = 2;
export const FIXED32 = 5;

const textEncoder = new TextEncoder();

/** A message the schema cannot decode (truncated, or a wire type that contradicts the field). */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

/** A growable byte buffer; nested messages are written in place and their length put in front after. */
export class Writer {
  #buffer = new Uint8Array(1024);
  #view = new DataView(this.#buffer.buffer);
  #length = 0;

  tag(number: number, wireType: number): void {
    this.uint(number * 8 + wireType);
  }

  /** A non-negative safe integer: plain number arithmetic, the common case (tags, lengths, sizes). */
  uint(value: number): void {
    this.#reserve(10);
    let rest = value;
    while (rest > 0x7f) {
      this.#buffer[this.#length++] = (rest % 128) | 0x80;
      rest = Math.floor(rest / 128);
    }
    this.#buffer[this.#length++] = rest;
  }

  varint(value: bigint): void {
    this.#reserve(10);
    let rest = value;
    while (rest > 0x7fn) {
      this.#buffer[this.#length++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.#buffer[this.#length++] = Number(rest);
  }

  /** Leaves room for a length prefix (5 bytes: every message is under 4 GiB); returns where it starts. */
  beginLength(): number {
    this.#reserve(5);
    const start = this.#length;
    this.#length += 5;
    return start;
  }

  /** Writes the length of what followed `beginLength` and closes the gap the shorter prefix leaves. */
  endLength(start: number): void {
    const bodyStart = start + 5;
    const length = this.#length - bodyStart;
    const prefix = varintSize(length);
    this.#length = start;
    this.uint(length);
    if (prefix < 5) this.#buffer.copyWithin(start + prefix, bodyStart, bodyStart + length);
    this.#length = start + prefix + length;
  }

  string(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; write in place, then fix the length prefix.
    this.#reserve(5 + text.length * 3);
    const start = this.beginLength();
    const { written } = textEncoder.encodeInto(text, this.#buffer.subarray(this.#length));
    this.#length += written;
    this.endLength(start);
  }

  bytes(data: Uint8Array): void {
    this.uint(data.length);
    this.#reserve(data.length);
    this.#buffer.set(data, this.#length);
    this.#length += data.length;
  }

  float64(value: number): void {
    this.#reserve(8);
    this.#view.setFloat64(this.#length, value, true);
    this.#length += 8;
  }

  float32(value: number): void {
    this.#reserve(4);
    this.#view.setFloat32(this.#length, value, true);
    this.#length += 4;
  }

  finish(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }

  #reserve(bytes: number): void {
    if (this.#length + bytes <= this.#buffer.length) return;
    const grown = new Uint8Array(Math.max(this.#buffer.length * 2, this.#length + bytes));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
    this.#view = new DataView(grown.buffer);
  }
}

function varintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest > 0x7f; rest = Math.floor(rest / 128)) size++;
  return size;
}

export class Reader {
  #offset = 0;
  readonly #view: DataView;

  constructor(private readonly buffer: Uint8Array) {
    this.#view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  done(): boolean {
    return this.#offset >= this.buffer.length;
  }

  /**
   * An unsigned varint as a number: exact up to 2^53 (tags, lengths, sizes, times); beyond that it
   * rounds, as protobufjs does with `longs: Number`.
   */
  uint(): number {
    let result = 0;
    let scale = 1;
    for (let index = 0; index < 10; index++) {
      const byte = this.buffer[this.#offset++];
      if (byte === undefined) throw new WireFormatError('truncated varint');
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new WireFormatError('varint longer than 10 bytes');
  }

  /** A varint as its exact 64-bit pattern, for signed and zigzag types. */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.buffer[this.#offset++];
      if (byte === undefined) throw new WireFormatError('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asUintN(64, result);
    }
    throw new WireFormatError('varint longer than 10 bytes');
  }

  /** int64: the common non-negative value under 2^49 (7 bytes) without BigInt. */
  int64(): number {
    let end = this.#offset;
    while ((this.buffer[end] ?? 0) >= 0x80 && end - this.#offset < 10) end++;
    return end - this.#offset < 7 ? this.uint() : Number(BigInt.asIntN(64, this.varint()));
  }

  bytes(): Uint8Array {
    const length = this.uint();
    const end = this.#offset + length;
    if (end > this.buffer.length) throw new WireFormatError('truncated length-delimited field');
    const slice = this.buffer.subarray(this.#offset, end);
    this.#offset = end;
    return slice;
  }

  float64(): number {
    this.#need(8);
    const value = this.#view.getFloat64(this.#offset, true);
    this.#offset += 8;
    return value;
  }

  float32(): number {
    this.#need(4);
    const value = this.#view.getFloat32(this.#offset, true);
    this.#offset += 4;
    return value;
  }

  skip(wireType: number): void {
    if (wireType === VARINT) this.uint();
    else if (wireType === FIXED64) this.#advance(8);
    else if (wireType === LENGTH_DELIMITED) this.bytes();
    else if (wireType === FIXED32) this.#advance(4);
    else throw new WireFormatError(`unsupported wire type ${wireType}`);
  }

  #advance(bytes: number): void {
    this.#need(bytes);
    this.#offset += bytes;
  }

  #need(bytes: number): void {
    if (this.#offset + bytes > this.buffer.length) throw new WireFormatError('truncated fixed-width field');
  }
}
