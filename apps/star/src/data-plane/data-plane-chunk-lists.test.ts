import { open, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { blake3Algorithm } from '@orbit/engine/hashing/blake3-algorithm';
import type { GridCa } from '@orbit/engine/identity/grid-ca';
import { chunkPass } from '@orbit/engine/transfer/chunk-pass';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/wait-for.ts';
import {
  createDataPlaneWorld,
  createGrid,
  type DataPlaneWorld,
  helloRaw,
  listTree,
  pushTo,
  randomData,
  type StarCredentials,
  sha256Of,
  TEST_CHUNKING,
} from './data-plane.fixture.ts';
import type { DataPlaneServer } from './data-plane-server.ts';
import { checkedJson, checkedLine } from './state-lines.ts';
import { encodeChunkFrame, encodeJsonFrame, FrameType } from './wire-frames.ts';
import { fileOkSchema, haveSchema, parseControl, readySchema } from './wire-messages.ts';

const SIZE = 8 * 1024 * 1024;
/** A one-byte-run edit re-cuts the chunk it lands in and at most its two neighbours. */
const EDIT_BYTES = 3 * TEST_CHUNKING.maxSize;
const MTIME = new Date('2024-05-06T07:08:09Z');

let grid: { ca: GridCa; receiver: StarCredentials };
let world: DataPlaneWorld;
let server: DataPlaneServer;
let notices: string[];
let original: Uint8Array;

beforeAll(async () => {
  grid = await createGrid();
});
beforeEach(async () => {
  world = await createDataPlaneWorld(grid.ca, grid.receiver);
  notices = [];
  server = await world.startReceiver({ onNotice: (message) => notices.push(message) });
  original = randomData(SIZE);
  await writeSource(original);
});
afterEach(() => world.cleanup());

/** Big files are announced without chunks, so the receiver chooses: stream, or list with its old chunks. */
async function push() {
  const result = await pushTo(world, server, ['big.bin'], { cutAheadBytes: 0 });
  return { ...result, outcome: result.files[0] };
}

/** The source with a whole-second mtime, so a test can give a file exactly that mtime back. */
async function writeSource(data: Uint8Array): Promise<void> {
  await writeFile(join(world.source, 'big.bin'), data);
  await utimes(join(world.source, 'big.bin'), MTIME, MTIME);
}

function edited(at: number): Uint8Array {
  const copy = Uint8Array.from(original);
  for (let i = at; i < at + 100; i++) copy[i] = (copy[i] as number) ^ 0x5a;
  return copy;
}

const cacheDir = () => join(world.state, 'data-plane', 'chunk-lists');

async function cacheFiles(): Promise<string[]> {
  return (await readdir(cacheDir()))
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(cacheDir(), name));
}

async function onlyEntry(): Promise<{
  path: string;
  entry: { hash: string; chunks: [number, number, string][] };
}> {
  const files = await cacheFiles();
  expect(files).toHaveLength(1);
  const path = files[0] as string;
  const entry = checkedJson((await readFile(path, 'utf8')).trimEnd()) as {
    hash: string;
    chunks: [number, number, string][];
  };
  expect(entry).toBeDefined();
  return { path, entry };
}

/** What FastCDC makes of the destination file: the list an honest cache entry must hold. */
async function plainCut(path: string): Promise<[number, number, string][]> {
  const handle = await open(path, 'r');
  try {
    const chunks = await chunkPass(handle, { chunking: TEST_CHUNKING, algorithm: blake3Algorithm });
    return chunks.map((chunk) => [chunk.offset, chunk.length, chunk.hash]);
  } finally {
    await handle.close();
  }
}

async function expectCopied(): Promise<void> {
  expect(await sha256Of(join(world.dest, 'big.bin'))).toBe(await sha256Of(join(world.source, 'big.bin')));
  expect(await listTree(world.dest)).toEqual(['big.bin']);
}

describe('the receiver keeps the chunk lists of the files it committed', () => {
  it('after a streamed first copy, an edit sends only its chunks and no unchanged region is cut', async () => {
    const first = await push();
    expect(first.outcome).toMatchObject({ status: 'sent' });
    expect(first.counters).toMatchObject({ newBytes: SIZE, cutBytes: SIZE, guidedBytes: 0 });
    expect(first.receiverTotals).toMatchObject({ oldBytesCut: 0, oldListsCached: 0 });
    // The stream's pieces were the file's FastCDC chunks: that is the list the receiver kept.
    const dest = join(world.dest, 'big.bin');
    expect((await onlyEntry()).entry.chunks).toEqual(await plainCut(dest));

    await writeSource(edited(SIZE / 2));
    const second = await push();

    expect(second.outcome).toMatchObject({ status: 'sent' });
    await expectCopied();
    expect(second.counters.chunksSent).toBeGreaterThanOrEqual(1);
    expect(second.counters.chunksSent).toBeLessThanOrEqual(3);
    expect(second.counters.newBytes).toBeLessThanOrEqual(EDIT_BYTES);
    // The sender cut only around the edit and hashed the rest along the receiver's list; the
    // receiver cut nothing.
    expect(second.counters.cutBytes).toBeGreaterThan(0);
    expect(second.counters.cutBytes).toBeLessThanOrEqual(EDIT_BYTES);
    expect(second.counters.guidedBytes).toBe(SIZE - second.counters.cutBytes);
    expect(second.receiverTotals).toMatchObject({ oldBytesCut: 0, oldListsCached: 1 });
    expect((await onlyEntry()).entry.chunks).toEqual(await plainCut(dest));

    const third = await push();
    expect(third.outcome).toMatchObject({ status: 'unchanged' });
    expect(third.counters).toMatchObject({ newBytes: 0, cutBytes: 0, guidedBytes: SIZE });
    expect(third.receiverTotals).toMatchObject({ oldBytesCut: 0, oldListsCached: 1 });
    expect(notices).toEqual([]);
  });

  it('ignores an entry for a file rewritten since with the same size and its mtime put back', async () => {
    await push();
    const dest = join(world.dest, 'big.bin');
    await writeFile(dest, randomData(SIZE));
    await utimes(dest, MTIME, MTIME);
    await writeSource(edited(SIZE / 3));

    const again = await push();

    expect(again.outcome).toMatchObject({ status: 'sent' });
    await expectCopied();
    expect(notices).toEqual([expect.stringMatching(/big\.bin is stale \(its ctimeNs changed\); ignored/)]);
    expect(again.receiverTotals).toMatchObject({ oldBytesCut: SIZE, oldListsCached: 0 });
    expect(again.counters).toMatchObject({ cutBytes: SIZE, guidedBytes: 0 });
  });

  it('ignores a damaged entry, says so, and the push succeeds', async () => {
    await push();
    const { path } = await onlyEntry();
    await writeFile(path, '{"half an entry');
    await writeSource(edited(SIZE / 4));

    const again = await push();

    expect(again.outcome).toMatchObject({ status: 'sent' });
    await expectCopied();
    expect(notices).toEqual([
      expect.stringMatching(/big\.bin is damaged .*; ignored: the old file is cut instead/),
    ]);
    expect(again.receiverTotals).toMatchObject({ oldBytesCut: SIZE, oldListsCached: 0 });
    expect((await onlyEntry()).entry.chunks).toEqual(await plainCut(join(world.dest, 'big.bin')));
  });

  it('an entry that lies about a chunk fails the file, leaves the old copy, and is dropped', async () => {
    await push();
    const { path, entry } = await onlyEntry();
    // A well-formed entry with chunks 5 and 6 swapped: it places each one's bytes where the other
    // starts, which only the whole-file check can tell.
    const [at, fifth, sixth] = [entry.chunks[5], entry.chunks[5]?.[1], entry.chunks[6]?.[1]];
    const [, , fifthHash] = entry.chunks[5] as [number, number, string];
    const [, , sixthHash] = entry.chunks[6] as [number, number, string];
    entry.chunks[5] = [at?.[0] ?? 0, sixth ?? 0, sixthHash];
    entry.chunks[6] = [(at?.[0] ?? 0) + (sixth ?? 0), fifth ?? 0, fifthHash];
    await writeFile(path, checkedLine(entry));
    const before = await sha256Of(join(world.dest, 'big.bin'));
    await writeSource(edited(SIZE / 2));

    const failed = await push();

    expect(failed.outcome).toMatchObject({ status: 'failed', reason: 'checksum' });
    expect(await sha256Of(join(world.dest, 'big.bin'))).toBe(before);
    expect(await listTree(world.dest)).toEqual(['big.bin']);
    expect(notices).toEqual([
      expect.stringMatching(/big\.bin was used for a file that failed its check; dropped/),
    ]);
    expect(await cacheFiles()).toEqual([]);

    const retried = await push();
    expect(retried.outcome).toMatchObject({ status: 'sent' });
    await expectCopied();
  });

  it('checks an entry that says the file is unchanged by hashing the file', async () => {
    await push();
    const { path, entry } = await onlyEntry();
    const source = edited(SIZE / 2);
    // The entry claims the destination already holds the edited file.
    entry.hash = blake3Algorithm.hash(source);
    await writeFile(path, checkedLine(entry));
    await writeSource(source);

    const again = await push();

    expect(again.outcome).toMatchObject({ status: 'sent' });
    await expectCopied();
    expect(notices).toEqual([
      expect.stringMatching(/big\.bin does not match the file .*; dropped: the old file is cut/),
    ]);
    expect(again.receiverTotals).toMatchObject({ oldBytesCut: SIZE });
  });
});

/** The receiver copies in the kernel, or (from 48 MiB by default, here from 1 B) with direct writes. */
describe.each([
  { copy: 'copy_file_range where available', direct: false },
  { copy: 'direct writes where available', direct: true },
])('a file that kept its size but not its mtime ($copy)', ({ direct }) => {
  beforeEach(async () => {
    if (direct) {
      server = await world.startReceiver({
        onNotice: (message) => notices.push(message),
        directWriteMinBytes: 1,
      });
    }
  });

  it('is copied in place while the sender cuts; what moved is written again from the list', async () => {
    await push();
    const quarter = SIZE / 4;
    // 100 bytes flipped at an eighth (most likely inside a chunk that keeps its place and length),
    // 100 new bytes at a quarter, 100 bytes gone at three quarters: the middle half moved.
    const next = Buffer.concat([
      edited(SIZE / 8).subarray(0, quarter),
      randomData(100),
      original.subarray(quarter, 3 * quarter),
      original.subarray(3 * quarter + 100),
    ]);
    const stream = await helloRaw(server, await world.ticket());
    const begin = { path: 'big.bin', size: SIZE, mode: 0o644, mtimeMs: Date.now(), algorithm: 'blake3' };
    await stream.write(encodeJsonFrame(FrameType.fileBegin, begin));
    const ready = parseControl(await stream.expect('READY'), FrameType.ready, readySchema);
    const oldChunks = (await onlyEntry()).entry.chunks;
    expect(ready).toEqual({ mode: 'list', chunks: oldChunks });

    // Before the chunk list exists, the receiver copies its old file into the temp file.
    const partial = join(world.dest, '.big.bin.orbit-partial');
    const old = Buffer.from(original);
    await waitFor('the old file copied in place', async () =>
      old.equals(await readFile(partial).catch(() => Buffer.alloc(0))),
    );

    const scratch = join(world.base, 'next.bin');
    await writeFile(scratch, next);
    const chunks = await plainCut(scratch);
    const hash = blake3Algorithm.hash(next);
    await stream.write(encodeJsonFrame(FrameType.chunkList, { hash, chunks }));
    const have = new Set(parseControl(await stream.expect('HAVE'), FrameType.have, haveSchema).have);
    // In place: the chunks before the insert and after the cut; copied: the moved middle. A chunk
    // the old file does not hold (the flipped one) is never taken from what the early copy wrote.
    expect(have.size).toBeGreaterThan(chunks.length - 8);
    const oldHashes = new Set(oldChunks.map(([, , chunkHash]) => chunkHash));
    expect([...have].filter((index) => !oldHashes.has(chunks[index]?.[2] ?? ''))).toEqual([]);
    for (const [index, [offset, length, chunkHash]] of chunks.entries()) {
      if (have.has(index)) continue;
      const payload = next.subarray(offset, offset + length);
      await stream.write(encodeChunkFrame({ hash: chunkHash, codec: 'none', rawLength: length, payload }));
    }
    await stream.write(encodeJsonFrame(FrameType.fileEnd, {}));
    let verdict = await stream.expect('FILE_OK');
    while (verdict.type === FrameType.ack) verdict = await stream.expect('FILE_OK');
    expect(parseControl(verdict, FrameType.fileOk, fileOkSchema)).toMatchObject({
      hash,
      chunksReused: have.size,
    });
    stream.destroy();
    expect(Buffer.from(await readFile(join(world.dest, 'big.bin'))).equals(next)).toBe(true);
    expect(await listTree(world.dest)).toEqual(['big.bin']);
  });
});
