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

function fieldsOf(schema: WireSchema, name: string): readonly WireField[] {
  const fields = schema.messages[name];
  if (!fields) throw new WireFormatError(`orbit.v1 has no message ${name}`);
  return fields;
}

function writeMessage(
  writer: Writer,
  schema: WireSchema,
  name: string,
  message: Record<string, unknown>,
): void {
  for (const [field, number, type, repeated] of fieldsOf(schema, name)) {
    const value = message[field];
    if (value === undefined || value === null) continue;
    if (!repeated) {
      writeField(writer, schema, number, type, value);
      continue;
    }
    if (!Array.isArray(value)) throw new WireFormatError(`${name}.${field} must be a list`);
    if (isPackable(type) && value.length > 0) {
      const packed = new Writer();
      for (const item of value) writeScalar(packed, schema, type, item);
      writer.tag(number, LENGTH_DELIMITED).bytes(packed.finish());
    } else {
      for (const item of value) writeField(writer, schema, number, type, item);
    }
  }
}

function writeField(writer: Writer, schema: WireSchema, number: number, type: string, value: unknown): void {
  if (type.startsWith('message:')) {
    const nested = new Writer();
    writeMessage(nested, schema, type.slice(8), value as Record<string, unknown>);
    writer.tag(number, LENGTH_DELIMITED).bytes(nested.finish());
  } else if (type === 'string') {
    writer.tag(number, LENGTH_DELIMITED).bytes(textEncoder.encode(String(value)));
  } else if (type === 'bytes') {
    writer.tag(number, LENGTH_DELIMITED).bytes(value as Uint8Array);
  } else {
    writer.tag(number, wireTypeOf(type));
    writeScalar(writer, schema, type, value);
  }
}

function writeScalar(writer: Writer, schema: WireSchema, type: string, value: unknown): void {
  if (type.startsWith('enum:')) {
    const index =
      typeof value === 'number' ? value : (schema.enums[type.slice(5)] ?? []).indexOf(String(value));
    if (index < 0) throw new WireFormatError(`${String(value)} is not a value of ${type.slice(5)}`);
    writer.varint(BigInt.asUintN(64, BigInt(index)));
    return;
  }
  switch (type) {
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
      throw new WireFormatError(`the wire codec does not handle ${type} fields`);
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

function isPackable(type: string): boolean {
  return type.startsWith('enum:') || VARINT_TYPES.has(type) || type === 'double' || type === 'float';
}

function wireTypeOf(type: string): number {
  if (type === 'double') return FIXED64;
  if (type === 'float') return FIXED32;
  return VARINT;
}

function readMessage(schema: WireSchema, name: string, bytes: Uint8Array): Record<string, unknown> {
  const fields = fieldsOf(schema, name);
  const message: Record<string, unknown> = {};
  for (const [field, , type, repeated, oneof] of fields) {
    if (oneof) continue;
    message[field] = repeated ? [] : defaultOf(schema, type);
  }
  const reader = new Reader(bytes);
  while (!reader.done()) {
    const key = Number(reader.varint());
    const number = key >>> 3;
    const wireType = key & 7;
    const spec = fields.find((candidate) => candidate[1] === number);
    if (!spec) {
      reader.skip(wireType);
      continue;
    }
    const [field, , type, repeated, oneof] = spec;
    if (repeated && wireType === LENGTH_DELIMITED && isPackable(type)) {
      const packed = new Reader(reader.bytes());
      const list = message[field] as unknown[];
      while (!packed.done()) list.push(readScalar(packed, schema, type));
      continue;
    }
    const value = readValue(reader, schema, type, wireType, `${name}.${field}`);
    if (repeated) (message[field] as unknown[]).push(value);
    else message[field] = value;
    if (oneof) {
      const previous = message[oneof];
      if (typeof previous === 'string' && previous !== field) delete message[previous];
      message[oneof] = field;
    }
  }
  return message;
}

function readValue(
  reader: Reader,
  schema: WireSchema,
  type: string,
  wireType: number,
  where: string,
): unknown {
  const expected =
    type.startsWith('message:') || type === 'string' || type === 'bytes' ? LENGTH_DELIMITED : null;
  if ((expected ?? wireTypeOf(type)) !== wireType)
    throw new WireFormatError(`${where} arrived with wire type ${wireType}`);
  if (type.startsWith('message:')) return readMessage(schema, type.slice(8), reader.bytes());
  if (type === 'string') return textDecoder.decode(reader.bytes());
  if (type === 'bytes') return Buffer.from(reader.bytes());
  return readScalar(reader, schema, type);
}

function readScalar(reader: Reader, schema: WireSchema, type: string): unknown {
  if (type.startsWith('enum:')) {
    const value = Number(BigInt.asIntN(32, reader.varint()));
    return schema.enums[type.slice(5)]?.[value] ?? value;
  }
  switch (type) {
    case 'double':
      return reader.float64();
    case 'float':
      return reader.float32();
    case 'bool':
      return reader.varint() !== 0n;
    case 'uint32':
      return Number(BigInt.asUintN(32, reader.varint()));
    case 'int32':
      return Number(BigInt.asIntN(32, reader.varint()));
    case 'uint64':
      return Number(reader.varint());
    case 'int64':
      return Number(BigInt.asIntN(64, reader.varint()));
    case 'sint32':
    case 'sint64': {
      const raw = reader.varint();
      return Number((raw >> 1n) ^ -(raw & 1n));
    }
    default:
      throw new WireFormatError(`the wire codec does not handle ${type} fields`);
  }
}

function defaultOf(schema: WireSchema, type: string): unknown {
  if (type.startsWith('message:')) return null;
  if (type.startsWith('enum:')) return schema.enums[type.slice(5)]?.[0] ?? 0;
  if (type === 'string') return '';
  if (type === 'bytes') return Buffer.alloc(0);
  if (type === 'bool') return false;
  return 0;
}

/** A growable byte buffer. */
class Writer {
  #buffer = new Uint8Array(256);
  #view = new DataView(this.#buffer.buffer);
  #length = 0;

  tag(number: number, wireType: number): this {
    this.uint(number * 8 + wireType);
    return this;
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

class Reader {
  #offset = 0;
  readonly #view: DataView;

  constructor(private readonly buffer: Uint8Array) {
    this.#view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  done(): boolean {
    return this.#offset >= this.buffer.length;
  }

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

  bytes(): Uint8Array {
    const length = Number(this.varint());
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
    if (wireType === VARINT) this.varint();
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
