import { randomBytes } from 'node:crypto';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blake3Algorithm } from '../hashing/blake3-algorithm.ts';
import { type ChunkRef, chunkPass } from './chunk-pass.ts';
import { guidedChunkPass, usableGuide } from './guided-chunk-pass.ts';
import { makeTempDir, TEST_CHUNKING } from './transfer-test-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('guided'));
});
afterEach(() => cleanup());

async function withFile<T>(data: Uint8Array, use: (path: string) => Promise<T>): Promise<T> {
  const path = join(dir, `f-${randomBytes(4).toString('hex')}`);
  await writeFile(path, data);
  return use(path);
}

async function plain(data: Uint8Array): Promise<ChunkRef[]> {
  return withFile(data, async (path) => {
    const handle = await open(path, 'r');
    try {
      return await chunkPass(handle, {
        chunking: TEST_CHUNKING,
        algorithm: blake3Algorithm,
        cutter: 'in-thread',
      });
    } finally {
      await handle.close();
    }
  });
}

/** The guided pass over `data`, with what it handed out and wrote, and the whole-file hash. */
async function guided(data: Uint8Array, guide: readonly ChunkRef[], readBlockSize: number) {
  return withFile(data, async (path) => {
    const handle = await open(path, 'r');
    const whole = blake3Algorithm.create();
    const handedOut: Uint8Array[] = [];
    const blocks: Uint8Array[] = [];
    try {
      const { chunks, rest, bytesCut } = await guidedChunkPass(handle, guide, {
        chunking: TEST_CHUNKING,
        algorithm: blake3Algorithm,
        end: data.length,
        readBlockSize,
        wholeHash: whole,
        onChunk: (_chunk, bytes) => {
          handedOut.push(bytes.slice());
        },
        onBlock: async (block) => {
          blocks.push(block.slice());
        },
      });
      expect(rest).toBeUndefined();
      return {
        chunks,
        bytesCut,
        whole: whole.digest(),
        handedOut: Buffer.concat(handedOut),
        blocks: Buffer.concat(blocks),
      };
    } finally {
      await handle.close();
    }
  });
}

type Edit = (old: Uint8Array) => Uint8Array;
const at = (old: Uint8Array, fraction: number): number => Math.floor(old.length * fraction);
const EDITS: Record<string, Edit> = {
  unchanged: (old) => old,
  'bytes flipped in the middle': (old) => {
    const copy = old.slice();
    for (let i = at(old, 0.5); i < at(old, 0.5) + 3000; i++) copy[i] = (copy[i] as number) ^ 0x5a;
    return copy;
  },
  'a byte inserted near the start': (old) =>
    Buffer.concat([old.subarray(0, 100), Buffer.from([7]), old.subarray(100)]),
  'a range deleted in the middle': (old) =>
    Buffer.concat([old.subarray(0, at(old, 0.4)), old.subarray(at(old, 0.45))]),
  'data appended': (old) => Buffer.concat([old, randomBytes(50_000)]),
  'the tail cut off': (old) => old.subarray(0, at(old, 0.7)),
  'the last byte changed': (old) => {
    const copy = old.slice();
    copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 1;
    return copy;
  },
  'new data in front': (old) => Buffer.concat([randomBytes(30_000), old]),
  'all new': (old) => randomBytes(old.length),
  emptied: () => new Uint8Array(0),
};

describe('guidedChunkPass', () => {
  for (const [name, edit] of Object.entries(EDITS)) {
    it(`cuts exactly as chunkPass does: ${name}`, async () => {
      for (const [size, block] of [
        [600_000, 5_000],
        [600_000, 70_000],
        [1_300_000, 1 << 20],
        [70_000, 16_384],
      ] as const) {
        const old = randomBytes(size);
        const guide = await plain(old);
        const fresh = edit(old);
        const expected = await plain(fresh);
        const result = await guided(fresh, guide, block);
        expect(result.chunks).toEqual(expected);
        expect(result.whole).toBe(blake3Algorithm.hash(fresh));
        expect(Buffer.from(fresh).equals(result.handedOut)).toBe(true);
        expect(Buffer.from(fresh).equals(result.blocks)).toBe(true);
      }
    });
  }

  it('counts the bytes it cut: none of an unchanged file, about the edit of an edited one, all of a new one', async () => {
    const old = randomBytes(1_300_000);
    const guide = await plain(old);
    expect((await guided(old, guide, 70_000)).bytesCut).toBe(0);
    const edited = (await guided(EDITS['bytes flipped in the middle']?.(old) ?? old, guide, 70_000)).bytesCut;
    // The flipped chunk and at most its neighbours are cut; the rest is only hashed.
    expect(edited).toBeGreaterThan(0);
    expect(edited).toBeLessThanOrEqual(3 * TEST_CHUNKING.maxSize);
    const fresh = randomBytes(old.length);
    expect((await guided(fresh, guide, 70_000)).bytesCut).toBe(fresh.length);
  });

  it('gives up on a file that differs throughout, at a boundary chunkPass continues from', async () => {
    const old = randomBytes(600_000);
    const fresh = randomBytes(600_000);
    const guide = await plain(old);
    const expected = await plain(fresh);
    await withFile(fresh, async (path) => {
      const handle = await open(path, 'r');
      const whole = blake3Algorithm.create();
      const options = {
        chunking: TEST_CHUNKING,
        algorithm: blake3Algorithm,
        end: fresh.length,
        wholeHash: whole,
      };
      try {
        const first = await guidedChunkPass(handle, guide, { ...options, readBlockSize: 50_000 }, 100_000);
        expect(first.rest).toBeGreaterThan(0);
        expect(first.rest).toBeLessThan(fresh.length);
        const rest = await chunkPass(handle, { ...options, from: first.rest, cutter: 'in-thread' });
        expect([...first.chunks, ...rest]).toEqual(expected);
        expect(whole.digest()).toBe(blake3Algorithm.hash(fresh));
      } finally {
        await handle.close();
      }
    });
  });

  it('accepts only a chunk list that covers a file from its start without gaps', () => {
    const chunk = (offset: number, length: number): ChunkRef => ({ offset, length, hash: 'h' });
    expect(usableGuide([chunk(0, 10), chunk(10, 5)])).toBe(true);
    expect(usableGuide([chunk(0, 10), chunk(11, 5)])).toBe(false);
    expect(usableGuide([chunk(5, 10)])).toBe(false);
    expect(usableGuide([])).toBe(false);
    expect(usableGuide(undefined)).toBe(false);
  });
});
