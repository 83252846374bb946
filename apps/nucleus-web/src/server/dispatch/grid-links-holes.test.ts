import { randomBytes } from 'node:crypto';
import { copyFile, link, lstat, mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeHashes } from './grid-e2e-harness.ts';
import { createGridWorld, type GridWorld, MiB, transferOf, writeRandom } from './grid-world.ts';

let world: GridWorld;
beforeAll(async () => {
  world = await createGridWorld('links-holes');
});
afterAll(() => world?.close());

async function inode(file: string): Promise<number> {
  return (await lstat(file)).ino;
}

function stepOf(checkpoints: unknown, mode: 'copy' | 'mirror'): Record<string, unknown> {
  return (checkpoints as Record<string, Record<string, unknown>>)[mode] ?? {};
}

describe('hard links between Stars', () => {
  it('copy sends a file once and links its other names, idempotently, re-linking a broken one', async () => {
    const source = path.join(world.alpha.root, 'links-src');
    const destination = path.join(world.beta.root, 'links-dest');
    await writeRandom(path.join(source, 'a.bin'), 300_000);
    await writeRandom(path.join(source, 'single.bin'), 1000);
    await mkdir(path.join(source, 'only-links'));
    await link(path.join(source, 'a.bin'), path.join(source, 'b.bin'));
    await link(path.join(source, 'a.bin'), path.join(source, 'only-links', 'c.bin'));
    const run = await world.runner('links-copy', { source, destination });

    const first = await run();
    expect(first, first.error ?? '').toMatchObject({ state: 'succeeded', filesTotal: 4, filesDone: 4 });
    expect(transferOf(first.checkpoints)).toMatchObject({ filesSent: 2, newBytes: 301_000 });
    expect(stepOf(first.checkpoints, 'copy')).toMatchObject({ hardLinked: 2, hardLinksUnchanged: 0 });
    const leader = await inode(path.join(destination, 'a.bin'));
    expect(await inode(path.join(destination, 'b.bin'))).toBe(leader);
    expect(await inode(path.join(destination, 'only-links', 'c.bin'))).toBe(leader);
    expect((await stat(path.join(destination, 'a.bin'))).nlink).toBe(3);
    expect(await treeHashes(destination)).toEqual(await treeHashes(source));
    const rows = await world.test.db.runFile.findMany({
      where: { runId: first.id },
      select: { status: true },
    });
    expect(rows.map((row) => row.status)).toEqual(['done', 'done', 'done', 'done']);

    const again = await run();
    expect(again, again.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 4 });
    expect(transferOf(again.checkpoints)).toMatchObject({ newBytes: 0, filesUnchanged: 2 });
    expect(stepOf(again.checkpoints, 'copy')).toMatchObject({ hardLinked: 0, hardLinksUnchanged: 2 });

    // Someone replaced a name with a separate copy: the next run links it again.
    await rm(path.join(destination, 'b.bin'));
    await copyFile(path.join(source, 'a.bin'), path.join(destination, 'b.bin'));
    const relinked = await run();
    expect(relinked, relinked.error ?? '').toMatchObject({ state: 'succeeded' });
    expect(stepOf(relinked.checkpoints, 'copy')).toMatchObject({ hardLinked: 1, hardLinksUnchanged: 1 });
    expect(await inode(path.join(destination, 'b.bin'))).toBe(leader);
  });

  it('mirror with delete links the other names and removes only what the source lacks', async () => {
    const source = path.join(world.alpha.root, 'links-mirror-src');
    const destination = path.join(world.beta.root, 'links-mirror-dest');
    await writeRandom(path.join(source, 'data', 'a.bin'), 50_000);
    await link(path.join(source, 'data', 'a.bin'), path.join(source, 'data', 'z.bin'));
    await writeRandom(path.join(destination, 'extra.bin'), 100);
    const done = await (
      await world.runner('links-mirror', { source, destination, mode: 'mirror', del: true })
    )();
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 2 });
    expect(stepOf(done.checkpoints, 'mirror')).toMatchObject({ removed: 1, hardLinked: 1 });
    expect(await inode(path.join(destination, 'data', 'z.bin'))).toBe(
      await inode(path.join(destination, 'data', 'a.bin')),
    );
    expect(await treeHashes(destination)).toEqual(await treeHashes(source));
  });

  it('fails the other names, naming the first, when the first name did not arrive', async () => {
    const source = path.join(world.alpha.root, 'links-fail-src');
    const destination = path.join(world.beta.root, 'links-fail-dest');
    await writeRandom(path.join(source, 'a.bin'), 5000);
    await link(path.join(source, 'a.bin'), path.join(source, 'b.bin'));
    // A folder where the first name should land: the receiver cannot put the file there.
    await mkdir(path.join(destination, 'a.bin'), { recursive: true });
    const done = await (await world.runner('links-fail', { source, destination }))();
    expect(done.state).toBe('failed');
    const letters = await world.test.db.deadLetter.findMany({
      where: { runId: done.id },
      select: { path: true, error: true },
      orderBy: { path: 'asc' },
    });
    expect(letters.map((letter) => letter.path)).toEqual(['a.bin', 'b.bin']);
    expect(letters[1]?.error).toMatch(/not linked: its other name "a\.bin" failed in this run/);
    await expect(lstat(path.join(destination, 'b.bin'))).rejects.toThrow(/ENOENT/);
  });
});

/** A file of `size` bytes that holds random data only at `at` (64 KiB each); the rest are holes. */
async function writeSparse(file: string, size: number, at: readonly number[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, 'w');
  try {
    for (const offset of at) await handle.write(randomBytes(64 * 1024), 0, 64 * 1024, offset);
    await handle.truncate(size);
  } finally {
    await handle.close();
  }
}

/** Bytes the filesystem allocated for the file (st_blocks counts 512-byte units). */
async function allocated(file: string): Promise<number> {
  return (await stat(file)).blocks * 512;
}

describe('holes between Stars', () => {
  it('a sparse file arrives sparse, streamed or cut ahead, with the same bytes', async () => {
    const source = path.join(world.alpha.root, 'sparse-src');
    const destination = path.join(world.beta.root, 'sparse-dest');
    await writeSparse(path.join(source, 'big.img'), 48 * MiB, [0, 20 * MiB, 48 * MiB - 64 * 1024]);
    await writeSparse(path.join(source, 'small.img'), 4 * MiB, [MiB]);
    // A filesystem that fills holes (some network mounts) cannot show the difference.
    expect(await allocated(path.join(source, 'big.img'))).toBeLessThan(MiB);

    const done = await (await world.runner('sparse', { source, destination }))();
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 2 });
    expect(transferOf(done.checkpoints)).toMatchObject({ filesSent: 2, filesFailed: 0 });
    expect(await treeHashes(destination)).toEqual(await treeHashes(source));
    expect((await stat(path.join(destination, 'big.img'))).size).toBe(48 * MiB);
    expect(await allocated(path.join(destination, 'big.img'))).toBeLessThan(MiB);
    expect(await allocated(path.join(destination, 'small.img'))).toBeLessThan(MiB / 2);
  });
});
