import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { CodecName } from '../compression/codec.ts';
import { OrbitError } from '../errors.ts';

/**
 * `.orbitpak` container format, version 1. All integers are little-endian; FORMAT.md beside this
 * file is the prose version.
 *
 *   header   32 B   "ORBITPAK" | u16 version=1 | u16 flags=0 | u8 hash algorithm (1 blake3, 2 sha256)
 *                   | u8 hash length=32 | u16 reserved | u64 created (ms since epoch) | u64 reserved
 *   record   44 B + stored bytes, repeated:
 *                   hash[32] | u8 codec (0 none, 1 zstd) | u8[3] reserved | u32 raw length
 *                   | u32 stored length | stored bytes
 *   index    52 B per chunk: hash[32] | u64 record offset | u32 stored length | u32 raw length
 *                   | u8 codec | u8[3] reserved
 *   trailer  56 B   u64 index offset | u64 index length | index SHA-256[32] | "ORBITEND"
 *
 * A reader needs nothing but the file: the trailer finds and checks the index, the header says how
 * chunks are hashed, and each record repeats its index entry so damage is caught at the record.
 */
export const PACK_MAGIC = 'ORBITPAK';
export const PACK_END_MAGIC = 'ORBITEND';
export const PACK_VERSION = 1;
export const PACK_EXTENSION = '.orbitpak';
export const HEADER_SIZE = 32;
export const RECORD_HEADER_SIZE = 44;
export const INDEX_ENTRY_SIZE = 52;
export const TRAILER_SIZE = 56;
export const HASH_BYTES = 32;

/** The chunk-id hashes a store may use; `none` cannot address content. */
export type PackHashAlgorithm = 'blake3' | 'sha256';
const HASH_IDS: Readonly<Record<PackHashAlgorithm, number>> = { blake3: 1, sha256: 2 };
const CODEC_IDS: Readonly<Record<CodecName, number>> = { none: 0, zstd: 1 };

export interface PackHeader {
  readonly version: number;
  readonly flags: number;
  readonly hashAlgorithm: PackHashAlgorithm;
  readonly createdAt: Date;
}

/** One chunk's place in a container. `offset` is where its record starts. */
export interface PackIndexEntry {
  readonly hash: string;
  readonly offset: number;
  readonly storedLength: number;
  readonly rawLength: number;
  readonly codec: CodecName;
}

export interface PackTrailer {
  readonly indexOffset: number;
  readonly indexLength: number;
  readonly indexChecksum: string;
}

const latin1 = (bytes: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...bytes.subarray(start, end));

function corrupt(where: string, message: string): OrbitError {
  return new OrbitError('CORRUPT', message, {
    path: where,
    hint: 'the container is damaged; restore it from another copy of the archive',
  });
}

function keyOf<K extends string>(table: Readonly<Record<K, number>>, id: number): K | undefined {
  return (Object.keys(table) as K[]).find((key) => table[key] === id);
}

function writeHash(view: DataView, offset: number, hash: string): void {
  if (!/^[0-9a-f]{64}$/.test(hash)) {
    throw new OrbitError('INVALID_ARGUMENT', `chunk hash "${hash}" is not 32 bytes of lowercase hex`, {
      hint: 'pack chunks by their BLAKE3 or SHA-256 digest',
    });
  }
  for (let i = 0; i < HASH_BYTES; i++)
    view.setUint8(offset + i, Number.parseInt(hash.slice(i * 2, i * 2 + 2), 16));
}

function readHash(bytes: Uint8Array, offset: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + offset, HASH_BYTES).toString('hex');
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function encodeHeader(hashAlgorithm: PackHashAlgorithm, createdAt: Date): Uint8Array {
  const bytes = new Uint8Array(HEADER_SIZE);
  const view = viewOf(bytes);
  bytes.set(Buffer.from(PACK_MAGIC, 'latin1'), 0);
  view.setUint16(8, PACK_VERSION, true);
  view.setUint16(10, 0, true);
  view.setUint8(12, HASH_IDS[hashAlgorithm]);
  view.setUint8(13, HASH_BYTES);
  view.setBigUint64(16, BigInt(createdAt.getTime()), true);
  return bytes;
}

export function decodeHeader(bytes: Uint8Array, where: string): PackHeader {
  if (bytes.length < HEADER_SIZE || latin1(bytes, 0, 8) !== PACK_MAGIC) {
    throw corrupt(where, 'not an .orbitpak container: the header magic "ORBITPAK" is missing');
  }
  const view = viewOf(bytes);
  const version = view.getUint16(8, true);
  const flags = view.getUint16(10, true);
  if (version !== PACK_VERSION || flags !== 0) {
    throw new OrbitError('CORRUPT', `container format version ${version} (flags ${flags}) is not supported`, {
      path: where,
      hint: `this Orbit reads version ${PACK_VERSION} without flags; upgrade Orbit to read newer containers`,
    });
  }
  const hashAlgorithm = keyOf(HASH_IDS, view.getUint8(12));
  if (hashAlgorithm === undefined || view.getUint8(13) !== HASH_BYTES) {
    throw corrupt(where, `unknown chunk hash algorithm id ${view.getUint8(12)} in the header`);
  }
  return { version, flags, hashAlgorithm, createdAt: new Date(Number(view.getBigUint64(16, true))) };
}

export function encodeRecordHeader(entry: Omit<PackIndexEntry, 'offset'>): Uint8Array {
  const bytes = new Uint8Array(RECORD_HEADER_SIZE);
  const view = viewOf(bytes);
  writeHash(view, 0, entry.hash);
  view.setUint8(32, CODEC_IDS[entry.codec]);
  view.setUint32(36, entry.rawLength, true);
  view.setUint32(40, entry.storedLength, true);
  return bytes;
}

/** The entry a record header at `offset` describes, or undefined when its codec or reserved bytes are not valid. */
export function decodeRecordHeader(bytes: Uint8Array, offset: number): PackIndexEntry | undefined {
  if (bytes.length !== RECORD_HEADER_SIZE) return undefined;
  const view = viewOf(bytes);
  const codec = keyOf(CODEC_IDS, view.getUint8(32));
  if (codec === undefined || view.getUint8(33) !== 0 || view.getUint16(34, true) !== 0) return undefined;
  return {
    hash: readHash(bytes, 0),
    offset,
    storedLength: view.getUint32(40, true),
    rawLength: view.getUint32(36, true),
    codec,
  };
}

/** Checks a record header against the index entry that points at it. */
export function checkRecordHeader(bytes: Uint8Array, entry: PackIndexEntry, where: string): void {
  const view = viewOf(bytes);
  const matches =
    bytes.length === RECORD_HEADER_SIZE &&
    readHash(bytes, 0) === entry.hash &&
    view.getUint8(32) === CODEC_IDS[entry.codec] &&
    view.getUint32(36, true) === entry.rawLength &&
    view.getUint32(40, true) === entry.storedLength;
  if (!matches) {
    throw corrupt(
      where,
      `the chunk record at byte offset ${entry.offset} does not match the index entry for ${entry.hash}`,
    );
  }
}

export function encodeIndex(entries: readonly PackIndexEntry[]): Uint8Array {
  const bytes = new Uint8Array(entries.length * INDEX_ENTRY_SIZE);
  const view = viewOf(bytes);
  entries.forEach((entry, index) => {
    const at = index * INDEX_ENTRY_SIZE;
    writeHash(view, at, entry.hash);
    view.setBigUint64(at + 32, BigInt(entry.offset), true);
    view.setUint32(at + 40, entry.storedLength, true);
    view.setUint32(at + 44, entry.rawLength, true);
    view.setUint8(at + 48, CODEC_IDS[entry.codec]);
  });
  return bytes;
}

export function decodeIndex(bytes: Uint8Array, trailer: PackTrailer, where: string): PackIndexEntry[] {
  if (indexChecksum(bytes) !== trailer.indexChecksum) {
    throw corrupt(where, `the footer index at byte offset ${trailer.indexOffset} fails its checksum`);
  }
  if (bytes.length % INDEX_ENTRY_SIZE !== 0) {
    throw corrupt(where, `the footer index length ${bytes.length} is not a whole number of entries`);
  }
  const view = viewOf(bytes);
  const entries: PackIndexEntry[] = [];
  for (let at = 0; at < bytes.length; at += INDEX_ENTRY_SIZE) {
    const codec = keyOf(CODEC_IDS, view.getUint8(at + 48));
    const offset = Number(view.getBigUint64(at + 32, true));
    const storedLength = view.getUint32(at + 40, true);
    if (
      codec === undefined ||
      offset < HEADER_SIZE ||
      offset + RECORD_HEADER_SIZE + storedLength > trailer.indexOffset
    ) {
      throw corrupt(where, `footer index entry ${at / INDEX_ENTRY_SIZE} points outside the chunk area`);
    }
    entries.push({
      hash: readHash(bytes, at),
      offset,
      storedLength,
      rawLength: view.getUint32(at + 44, true),
      codec,
    });
  }
  return entries;
}

export function indexChecksum(index: Uint8Array): string {
  return createHash('sha256').update(index).digest('hex');
}

export function encodeTrailer(trailer: PackTrailer): Uint8Array {
  const bytes = new Uint8Array(TRAILER_SIZE);
  const view = viewOf(bytes);
  view.setBigUint64(0, BigInt(trailer.indexOffset), true);
  view.setBigUint64(8, BigInt(trailer.indexLength), true);
  writeHash(view, 16, trailer.indexChecksum);
  bytes.set(Buffer.from(PACK_END_MAGIC, 'latin1'), 48);
  return bytes;
}

export function decodeTrailer(bytes: Uint8Array, fileSize: number, where: string): PackTrailer {
  if (bytes.length !== TRAILER_SIZE || latin1(bytes, 48, 56) !== PACK_END_MAGIC) {
    throw corrupt(
      where,
      'the trailer magic "ORBITEND" is missing: the container is truncated or was never sealed',
    );
  }
  const view = viewOf(bytes);
  const indexOffset = Number(view.getBigUint64(0, true));
  const indexLength = Number(view.getBigUint64(8, true));
  if (indexOffset < HEADER_SIZE || indexOffset + indexLength !== fileSize - TRAILER_SIZE) {
    throw corrupt(
      where,
      `the trailer's index position (offset ${indexOffset}, ${indexLength} bytes) does not fit the file`,
    );
  }
  return { indexOffset, indexLength, indexChecksum: readHash(bytes, 16) };
}
