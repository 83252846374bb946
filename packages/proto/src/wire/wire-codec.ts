import { Buffer } from 'node:buffer';
import { ORBIT_WIRE_SCHEMA, type OrbitWireTypes } from '../generated/orbit-wire-schema.ts';
import type { WireField, WireSchema } from './wire-schema.ts';

/**
 * Protobuf encoding of the orbit.v1 messages, driven by the schema generated from the .proto, for
 * the Star: proto-loader and protobufjs would parse the .proto at start-up and stay resident in
 * an agent that is idle most of its life. Decoded messages have the shape the proto-loader options
 * give (ORBIT_PROTO_LOADER_OPTIONS: defaults filled in, 64-bit integers as numbers, enums as names,
 * a field naming the set member of each oneof); wire-codec.test.ts checks both directions against
 * protobufjs.
 */
export type WireMessageName = keyof OrbitWireTypes;
export type { OrbitWireTypes };

export function encodeMessage<N extends WireMessageName>(
  name: N,
  message: OrbitWireTypes[N]['input'],
): Uint8Array {
  const writer = new Writer();
  writeMessage(writer, ORBIT_WIRE_SCHEMA, name, message as Record<string, unknown>);
  return writer.finish();
}

export function decodeMessage<N extends WireMessageName>(
  name: N,
  bytes: Uint8Array,
): OrbitWireTypes[N]['output'] {
  return readMessage(ORBIT_WIRE_SCHEMA, name, bytes) as OrbitWireTypes[N]['output'];
}

/** A message the schema cannot decode (truncated, or a wire type that contradicts the field). */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;
const VARINT_TYPES = new Set(['int32', 'uint32', 'sint32', 'int64', 'uint64', 'sint64', 'bool']);
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: false });

/** A field with its type resolved once, so encoding a long list does no string work per item. */
interface CompiledField {
  readonly name: string;
  readonly number: number;
  /** 'message', 'enum', 'string', 'bytes' or the scalar type name. */
  readonly kind: string;
  /** The message or enum name for those kinds. */
  readonly ref: string;
  readonly repeated: boolean;
  readonly oneof: string;
  readonly packable: boolean;
  readonly wireType: number;
}

interface CompiledMessage {
  readonly fields: readonly CompiledField[];
  readonly byNumber: ReadonlyMap<number, CompiledField>;
}

const compiled = new Map<string, CompiledMessage>();

function messageOf(schema: WireSchema, name: string): CompiledMessage {
  const known = compiled.get(name);
  if (known) return known;
  const rows = schema.messages[name];
  if (!rows) throw new WireFormatError(`orbit.v1 has no message ${name}`);
  const fields = rows.map(([field, number, type, repeated, oneof]: WireField): CompiledField => {
    const colon = type.indexOf(':');
    const kind = colon < 0 ? type : type.slice(0, colon);
    const packable = kind === 'enum' || VARINT_TYPES.has(kind) || kind === 'double' || kind === 'float';
    const wireType =
      kind === 'message' || kind === 'string' || kind === 'bytes'
        ? LENGTH_DELIMITED
        : kind === 'double'
          ? FIXED64
          : kind === 'float'
            ? FIXED32
            : VARINT;
    return {
      name: field,
      number,
      kind,
      ref: colon < 0 ? '' : type.slice(colon + 1),
      repeated: repeated === 1,
      oneof,
      packable,
      wireType,
    };
  });
  const message = { fields, byNumber: new Map(fields.map((field) => [field.number, field])) };
  compiled.set(name, message);
  return message;
}

function writeMessage(
  writer: Writer,
  schema: WireSchema,
  name: string,
  message: Record<string, unknown>,
): void {
  for (const field of messageOf(schema, name).fields) {
    const value = message[field.name];
    if (value === undefined || value === null) continue;
    if (!field.repeated) {
      writeField(writer, schema, field, value);
      continue;
    }
    if (!Array.isArray(value)) throw new WireFormatError(`${name}.${field.name} must be a list`);
    if (field.packable && value.length > 0) {
      writer.tag(field.number, LENGTH_DELIMITED);
      const start = writer.beginLength();
      for (const item of value) writeScalar(writer, schema, field, item);
      writer.endLength(start);
    } else {
      for (const item of value) writeField(writer, schema, field, item);
    }
  }
}

function writeField(writer: Writer, schema: WireSchema, field: CompiledField, value: unknown): void {
  writer.tag(field.number, field.wireType);
  if (field.kind === 'message') {
    const start = writer.beginLength();
    writeMessage(writer, schema, field.ref, value as Record<string, unknown>);
    writer.endLength(start);
  } else if (field.kind === 'string') writer.string(String(value));
  else if (field.kind === 'bytes') writer.bytes(value as Uint8Array);
  else writeScalar(writer, schema, field, value);
}

function writeScalar(writer: Writer, schema: WireSchema, field: CompiledField, value: unknown): void {
  switch (field.kind) {
    case 'enum': {
      const index =
        typeof value === 'number' ? value : (schema.enums[field.ref] ?? []).indexOf(String(value));
      if (index < 0) throw new WireFormatError(`${String(value)} is not a value of ${field.ref}`);
      writer.uint(index);
      return;
    }
    case 'double':
      writer.float64(Number(value));
      return;
    case 'float':
      writer.float32(Number(value));
      return;
    case 'bool':
      writer.uint(value ? 1 : 0);
      return;
    case 'sint32':
    case 'sint64': {
      const big = toBigInt(value);
      writer.varint(BigInt.asUintN(64, (big << 1n) ^ (big < 0n ? -1n : 0n)));
      return;
    }
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
      if (typeof value === 'number' && value >= 0 && Number.isSafeInteger(value)) writer.uint(value);
      else writer.varint(BigInt.asUintN(64, toBigInt(value)));
      return;
    default:
      throw new WireFormatError(`the wire codec does not handle ${field.kind} fields`);
  }
}

/** Numbers, decimal strings and Long-like `{ low, high }` objects, as the generated input types allow. */
function toBigInt(value: unknown): bigint {
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'string' || typeof value === 'bigint') return BigInt(value);
  if (typeof value === 'object' && value !== null && 'low' in value && 'high' in value) {
    const { low, high } = value as { low: number; high: number };
    return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0));
  }
  return 0n;
}

function readMessage(schema: WireSchema, name: string, bytes: Uint8Array): Record<string, unknown> {
  const { fields, byNumber } = messageOf(schema, name);
  const message: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.oneof) continue;
    message[field.name] = field.repeated ? [] : defaultOf(schema, field);
  }
  const reader = new Reader(bytes);
  while (!reader.done()) {
    const key = reader.uint();
    const wireType = key % 8;
    const field = byNumber.get(Math.floor(key / 8));
    if (!field) {
      reader.skip(wireType);
      continue;
    }
    if (field.repeated && wireType === LENGTH_DELIMITED && field.packable) {
      const packed = new Reader(reader.bytes());
      const list = message[field.name] as unknown[];
      while (!packed.done()) list.push(readScalar(packed, schema, field));
      continue;
    }
    if (wireType !== field.wireType)
      throw new WireFormatError(`${name}.${field.name} arrived with wire type ${wireType}`);
    const value = readValue(reader, schema, field);
    if (field.repeated) (message[field.name] as unknown[]).push(value);
    else message[field.name] = value;
    if (field.oneof) {
      const previous = message[field.oneof];
      if (typeof previous === 'string' && previous !== field.name) delete message[previous];
      message[field.oneof] = field.name;
    }
  }
  return message;
}

function readValue(reader: Reader, schema: WireSchema, field: CompiledField): unknown {
  if (field.kind === 'message') return readMessage(schema, field.ref, reader.bytes());
  if (field.kind === 'string') return textDecoder.decode(reader.bytes());
  if (field.kind === 'bytes') return Buffer.from(reader.bytes());
  return readScalar(reader, schema, field);
}

function readScalar(reader: Reader, schema: WireSchema, field: CompiledField): unknown {
  switch (field.kind) {
    case 'enum': {
      const value = Number(BigInt.asIntN(32, reader.varint()));
      return schema.enums[field.ref]?.[value] ?? value;
    }
    case 'double':
      return reader.float64();
    case 'float':
      return reader.float32();
    case 'bool':
      return reader.uint() !== 0;
    case 'uint32':
      return reader.uint() % 0x1_0000_0000;
    case 'uint64':
      return reader.uint();
    case 'int32':
      return Number(BigInt.asIntN(32, reader.varint()));
    case 'int64':
      return reader.int64();
    case 'sint32':
    case 'sint64': {
      const raw = reader.varint();
      return Number((raw >> 1n) ^ -(raw & 1n));
    }
    default:
      throw new WireFormatError(`the wire codec does not handle ${field.kind} fields`);
  }
}

function defaultOf(schema: WireSchema, field: CompiledField): unknown {
  switch (field.kind) {
    case 'message':
      return null;
    case 'enum':
      return schema.enums[field.ref]?.[0] ?? 0;
    case 'string':
      return '';
    case 'bytes':
      return Buffer.alloc(0);
    case 'bool':
      return false;
    default:
      return 0;
  }
}

/** A growable byte buffer; nested messages are written in place and their length put in front after. */
class Writer {
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

class Reader {
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
