import { lstat, open, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import { partialPathFor } from './atomic-file.ts';
import { type ChunkRef, chunkPass } from './chunk-pass.ts';
import type { FileJournal, FileResumePoint } from './file-journal.ts';
import { type SyncFileRequest, syncFile } from './file-sync.ts';
import { makeTempDir, randomData, TEST_CHUNKING } from './transfer-test-fixtures.ts';

const algorithm = getHashAlgorithm('blake3');
let root: string;
let cleanup: () => Promise<void>;
let source: string;
let target: string;
let data: Uint8Array;
let chunks: ChunkRef[];

beforeEach(async () => {
  ({ dir: root, cleanup } = await makeTempDir('file-sync'));
  source = join(root, 'source.bin');
  target = join(root, 'target.bin');
  data = randomData(400_000);
  await writeFile(source, data);
  const handle = await open(source, 'r');
  chunks = await chunkPass(handle, { chunking: TEST_CHUNKING, algorithm });
  await handle.close();
});
afterEach(() => cleanup());

/** What an interrupted run leaves: the first `count` chunks in the temp file and in the journal. */
async function interrupted(count: number): Promise<FileResumePoint> {
  const kept = chunks.slice(0, count);
  const end = kept.reduce((sum, chunk) => sum + chunk.length, 0);
  await writeFile(partialPathFor(target), data.subarray(0, end));
  const stats = await lstat(source);
  return { temp: partialPathFor(target), size: stats.size, mtimeMs: stats.mtimeMs, chunks: kept };
}

function journalWith(point: FileResumePoint | undefined): FileJournal & { checkpoints: number } {
  const journal = {
    checkpoints: 0,
    resumePoint: () => point,
    fileStarted: async () => undefined,
    checkpoint: async () => {
      journal.checkpoints++;
    },
    fileFinished: async () => undefined,
  };
  return journal;
}

async function sync(
  journal: FileJournal,
  extra: Partial<SyncFileRequest> = {},
): Promise<Awaited<ReturnType<typeof syncFile>>> {
  const stats = await lstat(source);
  const request: SyncFileRequest = {
    ...extra,
    path: 'target.bin',
    source,
    target,
    entry: { size: stats.size, mtimeMs: stats.mtimeMs, mode: 0o644 },
    chunking: TEST_CHUNKING,
    algorithm,
    journal,
    checkpointBytes: 64 * 1024,
  };
  return syncFile(request);
}

describe('syncFile resume', () => {
  it('continues after the verified prefix of an interrupted temp file', async () => {
    const point = await interrupted(10);
    const outcome = await sync(journalWith(point));
    const prefix = point.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    expect(outcome.resumedBytes).toBe(prefix);
    expect(outcome.bytesWritten).toBe(data.length - prefix);
    expect(outcome.chunks).toEqual(chunks);
    expect(Buffer.from(data).equals(await readFile(target))).toBe(true);
  });

  it('keeps only the chunks that still verify when the temp file was damaged', async () => {
    const point = await interrupted(10);
    const damaged = point.chunks[4];
    if (!damaged) throw new Error('expected at least five chunks');
    const handle = await open(point.temp, 'r+');
    await handle.write(new Uint8Array([0xde, 0xad]), 0, 2, damaged.offset + 10);
    await handle.close();
    const outcome = await sync(journalWith(point));
    expect(outcome.resumedBytes).toBe(damaged.offset);
    expect(Buffer.from(data).equals(await readFile(target))).toBe(true);
  });

  it('starts over when the source changed since the interruption', async () => {
    const point = await interrupted(10);
    await utimes(source, new Date(), new Date(Date.now() + 60_000));
    const outcome = await sync(journalWith(point));
    expect(outcome.resumedBytes).toBe(0);
    expect(outcome.bytesWritten).toBe(data.length);
    expect(Buffer.from(data).equals(await readFile(target))).toBe(true);
  });

  it('checkpoints large files as it goes and leaves no temp file behind', async () => {
    const journal = journalWith(undefined);
    await sync(journal);
    // One checkpoint per 64 KiB or a little more (it waits for a chunk to end); none for the tail.
    const most = Math.floor(data.length / (64 * 1024));
    expect(journal.checkpoints).toBeGreaterThanOrEqual(Math.floor(data.length / (64 * 1024 + 65536)));
    expect(journal.checkpoints).toBeLessThanOrEqual(most);
    await expect(lstat(partialPathFor(target))).rejects.toThrow();
  });

  it('does not journal a file smaller than the checkpoint distance', async () => {
    const small = data.subarray(0, 60_000);
    await writeFile(source, small);
    const journal = journalWith(undefined);
    await sync(journal);
    expect(journal.checkpoints).toBe(0);
    expect(Buffer.from(small).equals(await readFile(target))).toBe(true);
  });
});

describe('syncFile same-size update from a clone of the old file', () => {
  it('writes only the chunks that differ at their offset and verifies the result', async () => {
    await writeFile(target, data);
    const edited = Uint8Array.from(data);
    const middle = chunks[Math.floor(chunks.length / 2)];
    if (!middle) throw new Error('expected several chunks');
    const at = middle.offset + Math.floor(middle.length / 2);
    edited[at] = (edited[at] ?? 0) ^ 0xff;
    await writeFile(source, edited);
    const written: number[] = [];
    const outcome = await sync(journalWith(undefined), {
      existing: { size: data.length, chunks, hash: algorithm.hash(data) },
      cloneOld: 'reflink-or-copy',
      onChunk: async (chunk, action) => {
        if (action === 'written') written.push(chunk.offset);
      },
    });
    expect(written).toEqual([middle.offset]);
    expect(outcome.bytesWritten).toBe(middle.length);
    expect(outcome.chunksReused).toBe(chunks.length - 1);
    expect(Buffer.from(edited).equals(await readFile(target))).toBe(true);
  });

  it('refuses to install a copy that does not match the source', async () => {
    // A stale chunk list claims the old file already holds the new bytes: verification must catch it.
    await writeFile(target, randomData(data.length));
    const error = await sync(journalWith(undefined), {
      existing: { size: data.length, chunks, hash: algorithm.hash(data) },
      cloneOld: 'reflink-or-copy',
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    await expect(lstat(partialPathFor(target))).rejects.toThrow();
    expect(Buffer.from(data).equals(await readFile(target))).toBe(false);
  });
});
