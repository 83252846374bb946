import { randomBytes } from 'node:crypto';
import { mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeHashes } from './grid-e2e-harness.ts';
import { createGridWorld, type GridWorld, MiB, transferOf } from './grid-world.ts';

let world: GridWorld;
beforeAll(async () => {
  world = await createGridWorld('links-holes');
});
afterAll(() => world?.close());

async function runJob(name: string, fields: { source: string; destination: string; mode?: 'mirror' }) {
  const created = await world.job({
    name,
    from: world.alpha,
    to: world.beta,
    sourcePath: fields.source,
    destinationPath: fields.destination,
    ...(fields.mode ? { mode: fields.mode } : {}),
  });
  return world.finished(await world.queue(created.id));
}

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

    const done = await runJob('sparse', { source, destination });
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 2 });
    expect(transferOf(done.checkpoints)).toMatchObject({ filesSent: 2, filesFailed: 0 });
    expect(await treeHashes(destination)).toEqual(await treeHashes(source));
    expect((await stat(path.join(destination, 'big.img'))).size).toBe(48 * MiB);
    expect(await allocated(path.join(destination, 'big.img'))).toBeLessThan(MiB);
    expect(await allocated(path.join(destination, 'small.img'))).toBeLessThan(MiB / 2);
  });
});
