import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { workerCutterAvailable } from '../chunking/block-cutter.ts';
import { chunkBuffer } from '../chunking/fastcdc-chunker.ts';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import { type ChunkPassOptions, type ChunkRef, chunkPass, hashRange } from './chunk-pass.ts';
import { makeTempDir, randomData, TEST_CHUNKING } from './transfer-test-fixtures.ts';

const algorithm = getHashAlgorithm('blake3');
const data = randomData(1_500_000);
let file: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const temp = await makeTempDir('chunk-pass');
  cleanup = temp.cleanup;
  file = join(temp.dir, 'data.bin');
  await writeFile(file, data);
});
afterAll(() => cleanup());

async function pass(options: Partial<ChunkPassOptions>): Promise<{ chunks: ChunkRef[]; handed: ChunkRef[] }> {
  const handle = await open(file, 'r');
  const handed: ChunkRef[] = [];
  try {
    const chunks = await chunkPass(handle, {
      chunking: TEST_CHUNKING,
      algorithm,
      // The handed-out bytes must be exactly the chunk's bytes, whichever buffer they come from.
      onChunk: (chunk, bytes) => {
        handed.push({ ...chunk, hash: algorithm.hash(bytes) });
      },
      ...options,
    });
    return { chunks, handed };
  } finally {
    await handle.close();
  }
}

const expected = chunkBuffer(data, TEST_CHUNKING).map((span) => ({
  ...span,
  hash: algorithm.hash(data.subarray(span.offset, span.offset + span.length)),
}));

it.each([1_500_001, 65_536, 50_021, 7_000])(
  'cuts like chunkBuffer with %i-byte reads',
  async (readBlockSize) => {
    const { chunks, handed } = await pass({ readBlockSize, cutter: 'in-thread' });
    expect(chunks).toEqual(expected);
    expect(handed).toEqual(expected);
  },
);

// Under Deno the cuts come from a worker reading the blocks in shared memory, three blocks in flight.
it.runIf(workerCutterAvailable()).each([1_500_001, 65_536, 7_000])(
  'cuts like chunkBuffer in a worker with %i-byte reads, writing every block once',
  async (readBlockSize) => {
    const written: number[] = [];
    const { chunks, handed } = await pass({
      readBlockSize,
      cutter: 'worker',
      onBlock: async (bytes, offset) => {
        expect(algorithm.hash(bytes)).toBe(algorithm.hash(data.subarray(offset, offset + bytes.length)));
        written.push(bytes.length);
      },
    });
    expect(chunks).toEqual(expected);
    expect(handed).toEqual(expected);
    expect(written.reduce((sum, length) => sum + length, 0)).toBe(data.length);
  },
);

it('starting at a chunk boundary yields the same later chunks', async () => {
  const from = expected[5]?.offset ?? 0;
  const { chunks } = await pass({ from, readBlockSize: 30_011 });
  expect(chunks).toEqual(expected.slice(5));
});

it('stops at `end` and feeds the whole-file hash in order', async () => {
  const whole = algorithm.create();
  const { chunks } = await pass({ end: 100_000, wholeHash: whole });
  expect(chunks.reduce((sum, chunk) => sum + chunk.length, 0)).toBe(100_000);
  expect(whole.digest()).toBe(algorithm.hash(data.subarray(0, 100_000)));
});

it.each([0, 1, TEST_CHUNKING.minSize - 1, TEST_CHUNKING.minSize, TEST_CHUNKING.minSize + 1])(
  'a %i-byte stretch cuts like chunkBuffer and hands out its blocks',
  async (length) => {
    const from = expected[2]?.offset ?? 0;
    const piece = data.subarray(from, from + length);
    const cuts = chunkBuffer(piece, TEST_CHUNKING).map((span) => ({
      offset: from + span.offset,
      length: span.length,
      hash: algorithm.hash(piece.subarray(span.offset, span.offset + span.length)),
    }));
    const whole = algorithm.create();
    const blocks: number[] = [];
    const { chunks, handed } = await pass({
      from,
      end: from + length,
      wholeHash: whole,
      onBlock: async (bytes, offset) => {
        blocks.push(offset, bytes.length);
      },
    });
    expect(chunks).toEqual(cuts);
    expect(handed).toEqual(cuts);
    expect(whole.digest()).toBe(algorithm.hash(piece));
    expect(blocks).toEqual(length === 0 ? [] : [from, length]);
  },
);

it.each([
  [0, data.length, 7_000],
  [12_345, 400_000, 65_536],
  [1_000, 999, 4_096],
  [data.length - 10, 0, 16],
])(
  'hashRange at %i for %i bytes with a %i-byte scratch matches a hash of the slice',
  async (offset, length, scratchSize) => {
    const handle = await open(file, 'r');
    try {
      const whole = algorithm.create();
      const slice = data.subarray(offset, offset + length);
      const hash = await hashRange(handle, offset, length, algorithm, new Uint8Array(scratchSize), whole);
      expect(hash).toBe(algorithm.hash(slice));
      expect(whole.digest()).toBe(algorithm.hash(slice));
    } finally {
      await handle.close();
    }
  },
);

it('hashRange is undefined for a range past the end of the file', async () => {
  const handle = await open(file, 'r');
  try {
    const hash = await hashRange(handle, data.length - 100, 5_000, algorithm, new Uint8Array(1_024));
    expect(hash).toBeUndefined();
  } finally {
    await handle.close();
  }
});

/** The runtime's event target for unhandled rejections (Deno's; Node reports them on `process`). */
interface RejectionEvents {
  addEventListener?(type: 'unhandledrejection', listener: (event: RejectionEvent) => void): void;
  removeEventListener?(type: 'unhandledrejection', listener: (event: RejectionEvent) => void): void;
}
interface RejectionEvent {
  readonly reason: unknown;
  preventDefault(): void;
}

/** Rejections nobody handled while `run` ran: each would end a Deno process (the Star's sender). */
async function unhandledDuring(run: () => Promise<unknown>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const onNode = (reason: unknown) => seen.push(reason);
  const onWeb = (event: RejectionEvent) => {
    event.preventDefault();
    seen.push(event.reason);
  };
  const web = globalThis as unknown as RejectionEvents;
  process.on('unhandledRejection', onNode);
  web.addEventListener?.('unhandledrejection', onWeb);
  try {
    await run().catch(() => undefined);
    // Unhandled rejections are reported after the microtasks of a turn: give them two.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off('unhandledRejection', onNode);
    web.removeEventListener?.('unhandledrejection', onWeb);
  }
  return seen;
}

// The Star's sender died of this kind of rejection: its receiver went away mid-push, the chunk
// handler threw, and closing the FastCDC worker rejected the next block's cut while the pass still
// waited for a read. Any promise of a block in flight may fail while an earlier block is handed out.
it('a block write that fails while an earlier block is handed out fails the pass, handled', async () => {
  let blocks = 0;
  const failing = pass({
    readBlockSize: 65_536,
    cutter: 'in-thread',
    // The second block's write fails at once, while the first block's chunks are still handed out.
    onBlock: async () => {
      blocks += 1;
      if (blocks === 2) throw new Error('disk full');
    },
    onChunk: () => new Promise((resolve) => setTimeout(resolve, 30)),
  });
  const unhandled = await unhandledDuring(() => failing);
  await expect(failing).rejects.toThrow('disk full');
  expect(unhandled).toEqual([]);
});
