import { link, lstat, mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blake3Algorithm } from '../hashing/blake3-algorithm.ts';
import { dataRuns, HOLE_PAGE } from './sparse-runs.ts';
import { copyJob, mirrorJob } from './transfer-executor.ts';
import {
  randomData,
  recordingContext,
  testJob,
  useTransferDirs,
  writeTree,
} from './transfer-test-fixtures.ts';

let source: string;
let destination: string;
let state: string;
useTransferDirs('links', (dirs) => {
  ({ source, destination, state } = dirs);
});

async function inode(path: string): Promise<number> {
  return (await lstat(path)).ino;
}

describe('hard links', () => {
  it('copies a file once and links its other names to the copy, then keeps them linked', async () => {
    const data = randomData(200_000);
    await writeTree(source, { 'a.bin': data, 'single.txt': 'one name', 'sub/.keep': '' });
    await link(join(source, 'a.bin'), join(source, 'b.bin'));
    await link(join(source, 'a.bin'), join(source, 'sub', 'c.bin'));
    const job = testJob({ source, destination });

    const first = await copyJob(job, recordingContext(state));
    expect(first.status).toBe('succeeded');
    expect(first.counters.bytesWritten).toBe(200_000 + 'one name'.length);
    const leader = await inode(join(destination, 'a.bin'));
    expect(await inode(join(destination, 'b.bin'))).toBe(leader);
    expect(await inode(join(destination, 'sub', 'c.bin'))).toBe(leader);
    expect((await stat(join(destination, 'a.bin'))).nlink).toBe(3);
    expect(Buffer.from(data).equals(await readFile(join(destination, 'sub', 'c.bin')))).toBe(true);

    const second = await copyJob(job, recordingContext(state));
    expect(second.counters.bytesWritten).toBe(0);
    expect(second.counters.filesUnchanged).toBe(5);

    // Someone replaced one name with a separate copy: the next run makes it a link again.
    await rm(join(destination, 'b.bin'));
    await writeFile(join(destination, 'b.bin'), data);
    const context = recordingContext(state);
    const third = await copyJob(job, context);
    expect(third.status).toBe('succeeded');
    expect(await inode(join(destination, 'b.bin'))).toBe(leader);
    expect(context.provenance).toContainEqual(expect.objectContaining({ path: 'b.bin', action: 'linked' }));
  });

  it('fails the other names, naming the first, when the first name cannot be copied', async () => {
    await writeTree(source, { 'a.bin': randomData(5000) });
    await link(join(source, 'a.bin'), join(source, 'b.bin'));
    await mkdir(join(destination, 'a.bin'), { recursive: true });

    const result = await copyJob(testJob({ source, destination }), recordingContext(state));
    expect(result.status).toBe('failed');
    expect(result.failures.map((failure) => failure.path)).toEqual(['a.bin', 'b.bin']);
    expect(result.failures[1]?.message).toContain('its other name "a.bin" failed');
  });

  it('links within a mirror and reports them in a dry run without touching the destination', async () => {
    await writeTree(source, { 'a.bin': randomData(5000) });
    await link(join(source, 'a.bin'), join(source, 'z.bin'));
    const context = recordingContext(state, { dryRun: true });
    await mkdir(destination);
    const dry = await mirrorJob(testJob({ source, destination, mode: 'mirror' }), context);
    expect(dry.status).toBe('succeeded');
    expect(context.progress).toContainEqual(expect.objectContaining({ path: 'z.bin', action: 'linked' }));
    await expect(lstat(join(destination, 'a.bin'))).rejects.toThrow(/ENOENT/);

    const real = await mirrorJob(testJob({ source, destination, mode: 'mirror' }), recordingContext(state));
    expect(real.status).toBe('succeeded');
    expect(await inode(join(destination, 'z.bin'))).toBe(await inode(join(destination, 'a.bin')));
  });
});

describe('sparse files', () => {
  it('finds the pages to write, aligned to the file, not the block', () => {
    const block = new Uint8Array(4 * HOLE_PAGE);
    block[HOLE_PAGE + 5] = 1;
    expect(dataRuns(block, 0)).toEqual([{ start: HOLE_PAGE, end: 2 * HOLE_PAGE }]);
    // The block starts 100 bytes into a page: its first 3996 bytes are that page's tail.
    expect(dataRuns(block, 100)).toEqual([{ start: HOLE_PAGE - 100, end: 2 * HOLE_PAGE - 100 }]);
    block[block.length - 1] = 9;
    expect(dataRuns(block, 0)).toEqual([
      { start: HOLE_PAGE, end: 2 * HOLE_PAGE },
      { start: 3 * HOLE_PAGE, end: 4 * HOLE_PAGE },
    ]);
    expect(dataRuns(new Uint8Array(10), 3)).toEqual([]);
  });

  it('writes a file with holes as a file with holes, same bytes and hash', async () => {
    const size = 16 * 1024 * 1024;
    const head = randomData(64 * 1024);
    const middle = randomData(64 * 1024);
    const file = await open(join(source, 'disk.img'), 'w');
    await file.write(head, 0, head.length, 0);
    await file.write(middle, 0, middle.length, 8 * 1024 * 1024);
    await file.truncate(size);
    await file.close();
    const sourceStats = await stat(join(source, 'disk.img'));
    // A filesystem that fills holes (some network mounts) cannot show the difference.
    if (sourceStats.blocks * 512 >= size) return;

    const result = await copyJob(testJob({ source, destination }), recordingContext(state));
    expect(result.status).toBe('succeeded');
    const copied = await stat(join(destination, 'disk.img'));
    expect(copied.size).toBe(size);
    expect(copied.blocks * 512).toBeLessThan(1024 * 1024);
    const bytes = await readFile(join(destination, 'disk.img'));
    expect(blake3Algorithm.hash(bytes)).toBe(blake3Algorithm.hash(await readFile(join(source, 'disk.img'))));
    expect(Buffer.from(middle).equals(bytes.subarray(8 * 1024 * 1024, 8 * 1024 * 1024 + middle.length))).toBe(
      true,
    );

    // An update reuses the unchanged chunks along the old chunk list: the holes stay holes.
    const edit = await open(join(source, 'disk.img'), 'r+');
    await edit.write(randomData(1000), 0, 1000, 8 * 1024 * 1024 + 100);
    await edit.close();
    const again = await copyJob(testJob({ source, destination }), recordingContext(state));
    expect(again.status).toBe('succeeded');
    expect(again.counters.chunksReused).toBeGreaterThan(0);
    const updated = await stat(join(destination, 'disk.img'));
    expect(updated.blocks * 512).toBeLessThan(1024 * 1024);
    expect(blake3Algorithm.hash(await readFile(join(destination, 'disk.img')))).toBe(
      blake3Algorithm.hash(await readFile(join(source, 'disk.img'))),
    );
  });
});
