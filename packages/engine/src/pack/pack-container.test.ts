import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compressChunk } from '../compression/compress-chunk.ts';
import { OrbitError } from '../errors.ts';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import { makeTempDir } from './archive-test-fixtures.ts';
import { HEADER_SIZE, RECORD_HEADER_SIZE, TRAILER_SIZE } from './pack-format.ts';
import { PackReader } from './pack-reader.ts';
import { PackWriter } from './pack-writer.ts';

const blake3 = getHashAlgorithm('blake3');
let dir: string;

beforeEach(async () => {
  dir = await makeTempDir('pack');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writePack(chunks: readonly Uint8Array[]): Promise<string> {
  const writer = await PackWriter.create(dir, 'blake3', new Date('2026-03-04T05:06:07.000Z'));
  for (const chunk of chunks) {
    const encoded = compressChunk(chunk, { codec: 'auto', level: 3 });
    await writer.append(blake3.hash(chunk), encoded.codec, chunk.length, encoded.data);
  }
  const sealed = await writer.seal();
  return join(dir, sealed.name);
}

async function expectCorrupt(promise: Promise<unknown>, pattern: RegExp): Promise<OrbitError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OrbitError);
  expect((error as OrbitError).code).toBe('CORRUPT');
  expect((error as OrbitError).message).toMatch(pattern);
  return error as OrbitError;
}

describe('.orbitpak container', () => {
  it('reads back every chunk, compressed or raw, from the container alone', async () => {
    const chunks = [randomBytes(5000), Buffer.alloc(20_000, 7), new Uint8Array(), randomBytes(1)];
    const path = await writePack(chunks);
    const reader = await PackReader.open(path);
    try {
      expect(reader.header).toMatchObject({ version: 1, hashAlgorithm: 'blake3' });
      expect(reader.header.createdAt.toISOString()).toBe('2026-03-04T05:06:07.000Z');
      expect(reader.entries.map((entry) => entry.codec)).toEqual(['none', 'zstd', 'none', 'none']);
      for (const chunk of chunks) {
        const entry = reader.find(blake3.hash(chunk));
        expect(entry).toBeDefined();
        if (entry) expect(Buffer.from(await reader.readChunk(entry)).equals(Buffer.from(chunk))).toBe(true);
      }
    } finally {
      await reader.close();
    }
  });

  it('leaves only a temp name until sealed, and nothing after a discard', async () => {
    const writer = await PackWriter.create(dir, 'sha256');
    const chunk = randomBytes(100);
    await writer.append(getHashAlgorithm('sha256').hash(chunk), 'none', chunk.length, chunk);
    expect(await readdir(dir)).toEqual([`${writer.name}.tmp`]);
    await writer.discard();
    expect(await readdir(dir)).toEqual([]);
  });

  it('names the offset of a chunk whose bytes were flipped', async () => {
    const chunk = randomBytes(3000);
    const path = await writePack([randomBytes(100), chunk]);
    const reader = await PackReader.open(path);
    const entry = reader.find(blake3.hash(chunk));
    await reader.close();
    if (entry === undefined) throw new Error('chunk not indexed');
    const bytes = await readFile(path);
    const at = entry.offset + RECORD_HEADER_SIZE + 10;
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    await writeFile(path, bytes);
    const damaged = await PackReader.open(path);
    try {
      const error = await expectCorrupt(
        damaged.readChunk(entry),
        new RegExp(`byte offset ${entry.offset} .*hash`),
      );
      expect(error.location.path).toBe(path);
    } finally {
      await damaged.close();
    }
  });

  it('refuses a damaged footer index, a truncated container and a foreign file', async () => {
    const path = await writePack([randomBytes(1000), randomBytes(1000)]);
    const bytes = await readFile(path);
    const indexByte = bytes.length - TRAILER_SIZE - 5;
    const flipped = Buffer.from(bytes);
    flipped[indexByte] = (flipped[indexByte] ?? 0) ^ 1;
    await writeFile(path, flipped);
    await expectCorrupt(PackReader.open(path), /checksum/);

    await writeFile(path, bytes.subarray(0, bytes.length - 10));
    await expectCorrupt(PackReader.open(path), /ORBITEND/);

    await writeFile(path, Buffer.alloc(200, 0x41));
    await expectCorrupt(PackReader.open(path), /ORBITPAK/);
  });

  it('refuses a container from a newer format version with an upgrade hint', async () => {
    const path = await writePack([randomBytes(10)]);
    const bytes = await readFile(path);
    bytes.writeUInt16LE(2, 8);
    await writeFile(path, bytes);
    const error = await expectCorrupt(PackReader.open(path), /version 2/);
    expect(error.hint).toMatch(/upgrade/);
  });

  it('lays out header, records, index and trailer at the documented sizes', async () => {
    const chunk = randomBytes(777);
    const path = await writePack([chunk]);
    expect((await stat(path)).size).toBe(HEADER_SIZE + RECORD_HEADER_SIZE + 777 + 52 + TRAILER_SIZE);
    const bytes = await readFile(path);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('ORBITPAK');
    expect(bytes.subarray(-8).toString('latin1')).toBe('ORBITEND');
    expect(bytes.subarray(HEADER_SIZE, HEADER_SIZE + 32).toString('hex')).toBe(blake3.hash(chunk));
  });
});
