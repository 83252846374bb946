import { createHash } from 'node:crypto';
import { open, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleWorkersAvailable } from '../runtime/module-worker.ts';
import { inodeOf } from './file-inode.ts';
import { openStagedDirectWriter, type StagedWriter } from './staged-direct-writer.ts';
import { randomData, useTransferDirs } from './transfer-test-fixtures.ts';

let root: string;
useTransferDirs('staged-writer', (dirs) => {
  ({ root } = dirs);
});

const digest = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const BLOCK = 64 * 1024;

async function stagedFile(name: string): Promise<{ path: string; writer: StagedWriter }> {
  const path = join(root, name);
  const handle = await open(path, 'wx');
  const inode = await inodeOf(handle);
  await handle.close();
  const writer = openStagedDirectWriter(path, { blockBytes: BLOCK, inode });
  if (writer === undefined) throw new Error('module workers are available, the writer must be too');
  return { path, writer };
}

const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  // Long enough for a worker round trip that is not being waited for to show.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return done;
};

describe.runIf(moduleWorkersAvailable())('openStagedDirectWriter', () => {
  it('lands pieces of any size, flushed anywhere, as the same bytes', async () => {
    const { path, writer } = await stagedFile('pieces.bin');
    const expected = randomData(7 * BLOCK + 12_345);
    // Sizes that straddle blocks, fill one exactly, and are smaller than a page.
    const sizes = [1, 4095, 70_000, BLOCK, 3 * BLOCK + 17, 9_000];
    let at = 0;
    let turn = 0;
    const writes: Promise<void>[] = [];
    while (at < expected.length) {
      const length = Math.min(sizes[turn % sizes.length] as number, expected.length - at);
      // A copy the writer may not rely on once `write` has taken it: it is overwritten right after.
      const piece = expected.slice(at, at + length);
      writes.push(writer.write(piece, at));
      if (turn % 4 === 3) await writer.flush();
      at += length;
      turn++;
    }
    await writer.close();
    await Promise.all(writes);
    expect(digest(await readFile(path))).toBe(digest(expected));
  });

  it('settles a write only once its block is written, and at once on flush', async () => {
    const { writer } = await stagedFile('settle.bin');
    const small = writer.write(randomData(10_000), 0);
    expect(await settled(small)).toBe(false);
    expect(writer.submittedUpTo).toBe(0);
    await writer.flush();
    expect(await settled(small)).toBe(true);
    // The rest of the block, then one byte into the next: the block is written without a flush.
    const filling = writer.write(randomData(BLOCK - 10_000 + 1), 10_000);
    expect(writer.submittedUpTo).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(writer.submittedUpTo).toBe(BLOCK);
    expect(await settled(filling)).toBe(false);
    await writer.close();
    await filling;
  });

  it('refuses a write that is not the next byte', async () => {
    const { writer } = await stagedFile('order.bin');
    const first = writer.write(randomData(100), 0);
    await expect(writer.write(randomData(100), 500)).rejects.toThrow(
      /front to back: 500 asked for, 100 next/,
    );
    await writer.close();
    await first;
  });

  it('writes nothing through a name that no longer is the file it was given', async () => {
    const victim = join(root, 'victim.bin');
    await writeFile(victim, 'keep me');
    const { path, writer } = await stagedFile('swapped.bin');
    // Nothing has reached the worker yet: swap the name for a link to another file, as an attacker
    // with write access to the folder could.
    await rm(path);
    await symlink(victim, path);
    const write = writer.write(randomData(BLOCK), 0);
    await expect(write).rejects.toThrow(/replaced by another file/);
    await writer.close().catch(() => undefined);
    expect(await readFile(victim, 'utf8')).toBe('keep me');
  });
});
