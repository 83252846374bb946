import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_BLOCK_SIZE } from '../hashing/file-reader.ts';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import type { ChunkInfo, FileChunks } from './chunk-assembler.ts';
import { chunkFile, chunkStream } from './chunk-file.ts';
import type { ChunkingOptions } from './chunking-options.ts';
import { chunkBuffer } from './fastcdc-chunker.ts';
import { seededBytes, seededSplits, splitAt } from './seeded-bytes.test-helper.ts';

const SMALL: ChunkingOptions = { minSize: 4096, avgSize: 16384, maxSize: 65536 };
const blake3 = getHashAlgorithm('blake3');
const sha256 = getHashAlgorithm('sha256');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orbit-chunk-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(name: string, data: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, data);
  return path;
}

function expected(data: Uint8Array, options: ChunkingOptions, algorithm = blake3): FileChunks {
  return {
    size: data.length,
    hash: algorithm.hash(data),
    chunks: chunkBuffer(data, options).map(({ offset, length }) => ({
      offset,
      length,
      hash: algorithm.hash(data.subarray(offset, offset + length)),
    })),
  };
}

describe('chunkFile', () => {
  it.each([0, 1, 4095, 70_000, READ_BLOCK_SIZE + 100_003])(
    'matches chunkBuffer on a %d-byte file',
    async (size) => {
      const data = seededBytes(size, size + 17);
      const path = await fileWith(`file-${size}.bin`, data);
      expect(await chunkFile(path, SMALL, blake3)).toEqual(expected(data, SMALL));
    },
  );

  it('handles the default 1 MiB chunks across several reads with SHA-256', async () => {
    const data = seededBytes(3 * READ_BLOCK_SIZE + 12_345, 5);
    const path = await fileWith('default.bin', data);
    const options: ChunkingOptions = { minSize: 256 * 1024, avgSize: 1024 * 1024, maxSize: 4 * 1024 * 1024 };
    expect(await chunkFile(path, options, sha256)).toEqual(expected(data, options, sha256));
  });

  it('hands every chunk to onChunk in order, awaiting each', async () => {
    const data = seededBytes(READ_BLOCK_SIZE + 300_000, 6);
    const path = await fileWith('callback.bin', data);
    const seen: { chunk: ChunkInfo; copy: Uint8Array }[] = [];
    const result = await chunkFile(path, SMALL, blake3, {
      async onChunk(chunk, bytes) {
        await new Promise((resolve) => setImmediate(resolve));
        seen.push({ chunk, copy: bytes.slice() });
      },
    });
    expect(seen.map((entry) => entry.chunk)).toEqual(result.chunks);
    for (const { chunk, copy } of seen) {
      const original = data.subarray(chunk.offset, chunk.offset + chunk.length);
      expect(Buffer.compare(copy, original), `chunk at ${chunk.offset}`).toBe(0);
    }
  });

  it('propagates an error thrown by onChunk', async () => {
    const path = await fileWith('throws.bin', seededBytes(100_000, 7));
    const onChunk = (): never => {
      throw new Error('disk full');
    };
    await expect(chunkFile(path, SMALL, blake3, { onChunk })).rejects.toThrow('disk full');
  });

  it('stops when the signal is aborted', async () => {
    const path = await fileWith('abort.bin', seededBytes(200_000, 8));
    const controller = new AbortController();
    const run = chunkFile(path, SMALL, blake3, {
      signal: controller.signal,
      onChunk: () => controller.abort(),
    });
    await expect(run).rejects.toThrow();
  });

  it('reports a missing file with its path', async () => {
    const path = join(dir, 'nope.bin');
    await expect(chunkFile(path, SMALL, blake3)).rejects.toMatchObject({
      code: 'PATH_NOT_FOUND',
      location: { path },
    });
  });
});

describe('chunkStream', () => {
  it('gives the chunkFile result however the stream is split', async () => {
    const data = seededBytes(READ_BLOCK_SIZE + 1_000_000, 9);
    const path = await fileWith('stream.bin', data);
    const fromFile = await chunkFile(path, SMALL, blake3);
    for (const [seed, maxPiece] of [
      [1, 5_000],
      [2, 3_000_000],
    ] as const) {
      async function* pieces(): AsyncGenerator<Uint8Array> {
        for (const piece of splitAt(data, seededSplits(data.length, seed, maxPiece))) yield piece.slice();
      }
      expect(await chunkStream(pieces(), SMALL, blake3)).toEqual(fromFile);
    }
  });

  it('accepts pieces larger than its buffer and an empty stream', async () => {
    const data = seededBytes(2 * READ_BLOCK_SIZE + 3, 10);
    expect(await chunkStream([data], SMALL, blake3)).toEqual(expected(data, SMALL));
    expect(await chunkStream([], SMALL, blake3)).toEqual(expected(new Uint8Array(0), SMALL));
  });
});
