import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compressChunk } from '../compression/compress-chunk.ts';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import { ArchiveStore } from './archive-store.ts';
import { makeTempDir } from './archive-test-fixtures.ts';
import { PACKS_DIR } from './chunk-index.ts';
import { encodeHeader, encodeRecordHeader, HEADER_SIZE, RECORD_HEADER_SIZE } from './pack-format.ts';
import { PackReader } from './pack-reader.ts';

const blake3 = getHashAlgorithm('blake3');
const NAME = '20260101T000000Z-0123456789ab.orbitpak';
let archive: string;

beforeEach(async () => {
  archive = await makeTempDir('salvage');
  await mkdir(join(archive, PACKS_DIR));
});
afterEach(() => rm(archive, { recursive: true, force: true }));

/** An unsealed container as a writer that died leaves it: header and records, no index or trailer. */
async function writeUnsealed(chunks: readonly Uint8Array[], tail = new Uint8Array()): Promise<number[]> {
  const parts: Uint8Array[] = [encodeHeader('blake3', new Date('2026-01-01T00:00:00Z'))];
  const offsets: number[] = [];
  let offset = HEADER_SIZE;
  for (const chunk of chunks) {
    const encoded = compressChunk(chunk, { codec: 'zstd', level: 1 });
    const header = encodeRecordHeader({
      hash: blake3.hash(chunk),
      codec: encoded.codec,
      rawLength: chunk.length,
      storedLength: encoded.data.length,
    });
    parts.push(header, encoded.data);
    offsets.push(offset);
    offset += header.length + encoded.data.length;
  }
  await writeFile(join(archive, PACKS_DIR, `${NAME}.tmp`), Buffer.concat([...parts, tail]));
  return offsets;
}

async function opened<T>(use: (store: ArchiveStore) => T | Promise<T>): Promise<T> {
  const store = await ArchiveStore.open(archive, { hashAlgorithm: 'blake3' });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

describe('an unsealed container left by a writer that died', () => {
  it('is sealed with its intact records when the store opens; a torn last record is cut off', async () => {
    const chunks = [randomBytes(3000), Buffer.alloc(50_000, 9), randomBytes(10)];
    const torn = randomBytes(4000);
    // The last record's header made it to disk, half its bytes did not.
    const tornRecord = encodeRecordHeader({
      hash: blake3.hash(torn),
      codec: 'none',
      rawLength: torn.length,
      storedLength: torn.length,
    });
    await writeUnsealed(chunks, Buffer.concat([tornRecord, torn.subarray(0, 2000)]));

    const held = await opened((store) => [...chunks, torn].map((chunk) => store.has(blake3.hash(chunk))));
    expect(held).toEqual([true, true, true, false]);
    expect(await readdir(join(archive, PACKS_DIR))).toEqual([NAME]);
    // A whole container now: its own footer finds every kept chunk, and the index lists it.
    const reader = await PackReader.open(join(archive, PACKS_DIR, NAME));
    try {
      expect(reader.entries).toHaveLength(3);
      const entry = reader.find(blake3.hash(chunks[1] ?? new Uint8Array()));
      if (!entry) throw new Error('the zstd chunk is not in the footer');
      expect(Buffer.from(await reader.readChunk(entry)).equals(chunks[1] ?? Buffer.alloc(0))).toBe(true);
    } finally {
      await reader.close();
    }
    expect(await readFile(join(archive, 'index'), 'utf8')).toContain(`"pack":"${NAME}"`);
  });

  it('keeps only the records before a damaged one, and drops a container with none intact', async () => {
    const chunks = [randomBytes(2000), randomBytes(2000), randomBytes(2000)];
    const offsets = await writeUnsealed(chunks);
    const path = join(archive, PACKS_DIR, `${NAME}.tmp`);
    const bytes = await readFile(path);
    const at = (offsets[1] ?? 0) + RECORD_HEADER_SIZE + 5;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    await writeFile(path, bytes);
    expect(await opened((store) => chunks.map((chunk) => store.has(blake3.hash(chunk))))).toEqual([
      true,
      false,
      false,
    ]);

    await rm(join(archive, PACKS_DIR, NAME));
    await rm(join(archive, 'index'));
    await writeFile(path, encodeHeader('blake3', new Date()).subarray(0, 20));
    expect(await opened((store) => store.index.chunkCount)).toBe(0);
    expect(await readdir(join(archive, PACKS_DIR))).toEqual([]);
  });
});
