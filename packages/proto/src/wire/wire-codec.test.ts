import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ORBIT_WIRE_SCHEMA } from '../generated/orbit-wire-schema.ts';
import { ORBIT_PROTO_FILE, ORBIT_PROTO_LOADER_OPTIONS, orbitProtoRoot } from '../orbit-proto-loader.ts';
import { decodeMessage, encodeMessage, WireFormatError, type WireMessageName } from './wire-codec.ts';

// protobufjs is what the Nucleus (grpc-js + proto-loader) encodes and decodes with: the reference.
interface ProtobufType {
  fromObject(value: object): object;
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  toObject(message: object, options: object): Record<string, unknown>;
}
const protobuf = createRequire(createRequire(import.meta.url).resolve('@grpc/proto-loader'))(
  'protobufjs',
) as {
  Root: new () => {
    resolvePath: (origin: string, target: string) => string;
    loadSync(file: string, options: object): void;
    lookupType(name: string): ProtobufType;
  };
};
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => `${orbitProtoRoot()}/${target}`;
root.loadSync(ORBIT_PROTO_FILE, { keepCase: false });
const reference = (name: string) => root.lookupType(`orbit.v1.${name}`);
const referenceEncode = (name: string, value: object) =>
  reference(name).encode(reference(name).fromObject(value)).finish();
const referenceDecode = (name: string, bytes: Uint8Array) =>
  reference(name).toObject(reference(name).decode(bytes), ORBIT_PROTO_LOADER_OPTIONS);

const names = Object.keys(ORBIT_WIRE_SCHEMA.messages) as WireMessageName[];

/** How many samples a message needs so that every member of each of its oneofs is set once. */
function variantsOf(name: string): number {
  const sizes = new Map<string, number>();
  for (const [, , , , oneof] of ORBIT_WIRE_SCHEMA.messages[name] ?? [])
    if (oneof) sizes.set(oneof, (sizes.get(oneof) ?? 0) + 1);
  return Math.max(1, ...sizes.values());
}

/** Every field set to a value that exercises its encoding: wide and negative integers, non-ASCII text. */
function sample(name: string, variant: number, depth = 0): Record<string, unknown> {
  const message: Record<string, unknown> = {};
  const seen = new Map<string, number>();
  for (const [field, number, type, repeated, oneof] of ORBIT_WIRE_SCHEMA.messages[name] ?? []) {
    if (oneof) {
      const index = seen.get(oneof) ?? 0;
      seen.set(oneof, index + 1);
      if (index !== variant % variantsOf(name)) continue;
    }
    const value = sampleValue(type, number, variant, depth);
    if (value === undefined) continue;
    message[field] = repeated ? [value, sampleValue(type, number + 1, variant + 1, depth)] : value;
  }
  return message;
}

function sampleValue(type: string, number: number, variant: number, depth: number): unknown {
  if (type.startsWith('message:')) return depth < 4 ? sample(type.slice(8), variant, depth + 1) : undefined;
  if (type.startsWith('enum:')) {
    const values = ORBIT_WIRE_SCHEMA.enums[type.slice(5)] ?? [];
    return values[(number + variant) % values.length];
  }
  switch (type) {
    case 'string':
      return `field ${number} — ✓ ${'x'.repeat(number * 20)}`;
    case 'bytes':
      return Buffer.from([0, 255, number, 128]);
    case 'bool':
      return number % 2 === 1;
    case 'double':
      return -12.75 * number;
    case 'uint32':
      return 4_000_000_000 - number;
    case 'uint64':
      return 2 ** 40 + number;
    case 'int64':
      return -(2 ** 41) - number;
    default:
      throw new Error(`no sample for ${type}`);
  }
}

describe('the Star wire codec', () => {
  it('covers every message of orbit.v1', () => {
    expect(names.length).toBeGreaterThan(50);
    expect(names).toEqual(
      expect.arrayContaining(['StarMessage', 'NucleusMessage', 'JoinRequest', 'RenewResponse']),
    );
  });

  it.each(names)('decodes %s as the Nucleus encodes it, with the proto-loader shape', (name) => {
    for (let variant = 0; variant < variantsOf(name); variant++) {
      const bytes = referenceEncode(name, sample(name, variant));
      expect(decodeMessage(name, bytes), `${name} variant ${variant}`).toEqual(referenceDecode(name, bytes));
    }
  });

  it.each(names)('encodes %s so the Nucleus decodes the same message', (name) => {
    for (let variant = 0; variant < variantsOf(name); variant++) {
      const value = sample(name, variant);
      expect(
        referenceDecode(name, Buffer.from(encodeMessage(name, value as never))),
        `${name} variant ${variant}`,
      ).toEqual(referenceDecode(name, referenceEncode(name, value)));
    }
  });

  it('fills defaults for an empty message and leaves unset oneofs out', () => {
    const empty = decodeMessage('Command', new Uint8Array(0));
    expect(empty).toEqual(referenceDecode('Command', new Uint8Array(0)));
    expect(empty.kind).toBeUndefined();
    expect(empty.id).toBe('');
    expect(empty.deadlineUnixMs).toBe(0);
  });

  it('keeps an empty oneof member: an empty Drain is still a drain command', () => {
    const bytes = encodeMessage('NucleusMessage', { command: { id: 'c1', drain: {} } });
    expect(decodeMessage('NucleusMessage', bytes).command?.kind).toBe('drain');
    expect(referenceDecode('NucleusMessage', bytes)).toMatchObject({ command: { kind: 'drain' } });
  });

  it('skips fields it does not know (a newer Nucleus) and refuses truncated input', () => {
    const known = encodeMessage('TicketGrant', { commandId: 'c1', ticket: 't' });
    // Field 15, varint 300 and field 16, length-delimited "hi": neither is in TicketGrant.
    const extended = new Uint8Array([...known, 0x78, 0xac, 0x02, 0x82, 0x01, 2, 0x68, 0x69]);
    expect(decodeMessage('TicketGrant', extended)).toEqual({
      commandId: 'c1',
      ticket: 't',
      error: '',
      retry: false,
      peerCertFingerprint: '',
    });
    expect(() => decodeMessage('TicketGrant', known.subarray(0, known.length - 1))).toThrow(WireFormatError);
    expect(() => decodeMessage('Settings', new Uint8Array([0x08, 0xff]))).toThrow(/truncated varint/);
  });
});
