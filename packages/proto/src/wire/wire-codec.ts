import { Buffer } from 'node:buffer';
import { ORBIT_WIRE_SCHEMA, type OrbitWireTypes } from '../generated/orbit-wire-schema.ts';
import { FIXED32, FIXED64, LENGTH_DELIMITED, Reader, VARINT, WireFormatError, Writer } from './wire-bytes.ts';
import type { WireField, WireSchema } from './wire-schema.ts';

export { WireFormatError };

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

const VARINT_TYPES = new Set(['int32', 'uint32', 'sint32', 'int64', 'uint64', 'sint64', 'bool']);
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
