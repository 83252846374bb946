import { chmod, lstat, mkdir, readdir, readlink, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { restoreArchive } from '@orbit/engine/pack/restore-archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../grid/grid-test-harness.ts';
import { getRun } from '../services/runs/get-run.ts';
import { treeHashes } from './grid-e2e-harness.ts';
import { createGridWorld, type GridWorld, MiB, transferOf, writeRandom } from './grid-world.ts';

/** Small chunks so a few-MiB file has many, and an edit maps to one or two. */
const SMALL_CHUNKS = { min: 16 * 1024, avg: 64 * 1024, max: 256 * 1024 };

let world: GridWorld;
beforeAll(async () => {
  world = await createGridWorld('modes');
});
afterAll(() => world?.close());

/** The empty folder and the symlink are created (the Star places links through libc). */
const PLACED = { placed: 2 };

/** What the dispatcher kept on the run for the mode's last step. */
function modeOf(checkpoints: unknown, mode: 'mirror' | 'archive'): Record<string, unknown> {
  return (checkpoints as Record<string, Record<string, unknown>>)[mode] ?? {};
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

/** A source tree and a destination that already holds the same files plus extra entries. */
async function mirrorSetup(name: string) {
  const { alpha, beta } = world;
  const source = path.join(alpha.root, name);
  await writeRandom(path.join(source, 'keep.bin'), 200_000);
  await writeRandom(path.join(source, 'sub', 'nested.bin'), 100_000);
  // Not files: the mirror creates them at the destination after the files arrived.
  await mkdir(path.join(source, 'empty'));
  await symlink('keep.bin', path.join(source, 'rel-link'));
  const destination = path.join(beta.root, name, 'dest');
  await writeRandom(path.join(destination, 'extra.bin'), 5000);
  await writeRandom(path.join(destination, 'gone', 'deep', 'old.bin'), 5000);
  // Beside the destination, and the target of a symlink inside it: neither may be touched.
  const outside = path.join(beta.root, name, 'outside.txt');
  await writeFile(outside, 'not the job’s business');
  await symlink(outside, path.join(destination, 'link-out'));
  return { source, destination, outside };
}

describe('mirror jobs between Stars', () => {
  it('with delete = true removes what the source lacks, only under the destination, and audits it', async () => {
    const { alpha, beta, ctx, test, job, queue, finished } = world;
    const { source, destination, outside } = await mirrorSetup('mirror-delete');
    const mirror = await job({
      name: 'mirror-delete',
      from: alpha,
      to: beta,
      mode: 'mirror',
      options: { delete: true },
      sourcePath: source,
      destinationPath: destination,
    });
    const runId = await queue(mirror.id);
    const done = await finished(runId);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 2 });
    expect(await treeHashes(destination)).toEqual(await treeHashes(source));
    expect(await exists(path.join(destination, 'link-out'))).toBe(false);
    expect(await exists(path.join(destination, 'gone'))).toBe(false);
    expect(await exists(path.join(destination, 'sub'))).toBe(true);
    expect(await stat(outside)).toMatchObject({ size: Buffer.byteLength('not the job’s business') });
    expect(modeOf(done.checkpoints, 'mirror')).toEqual({
      delete: true,
      extraneous: 5,
      removed: 5,
      notRemoved: 0,
      ...PLACED,
    });
    expect((await stat(path.join(destination, 'empty'))).isDirectory()).toBe(true);
    expect(await readlink(path.join(destination, 'rel-link'))).toBe('keep.bin');
    expect((await getRun({ ctx, input: { runId } })).mirror).toEqual({
      delete: true,
      extraneous: 5,
      removed: 5,
      notRemoved: 0,
      skipped: null,
      symlinksSkipped: 0,
      skippedReason: null,
    });
    const audit = await test.db.auditLog.findFirst({
      where: { objectId: runId, action: 'run.mirror_delete' },
      select: { after: true, actorType: true },
    });
    expect(audit?.actorType).toBe('system');
    const after = audit?.after as { removed: number; paths: string[] };
    expect(after.removed).toBe(5);
    expect([...after.paths].sort()).toEqual([
      'extra.bin',
      'gone',
      'gone/deep',
      'gone/deep/old.bin',
      'link-out',
    ]);
  });

  it('with delete = false removes nothing and counts what it kept', async () => {
    const { alpha, beta, job, queue, finished } = world;
    const { source, destination, outside } = await mirrorSetup('mirror-keep');
    const mirror = await job({
      name: 'mirror-keep',
      from: alpha,
      to: beta,
      mode: 'mirror',
      sourcePath: source,
      destinationPath: destination,
    });
    const done = await finished(await queue(mirror.id));
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 2 });
    expect(modeOf(done.checkpoints, 'mirror')).toEqual({
      delete: false,
      extraneous: 5,
      removed: 0,
      ...PLACED,
    });
    expect((await stat(path.join(destination, 'empty'))).isDirectory()).toBe(true);
    expect(await exists(path.join(destination, 'extra.bin'))).toBe(true);
    expect(await exists(path.join(destination, 'gone', 'deep', 'old.bin'))).toBe(true);
    expect(await readlink(path.join(destination, 'link-out'))).toBe(outside);
  });

  it('deletes nothing when a file failed to arrive', async () => {
    const { alpha, beta, test, job, queue, finished } = world;
    const { source, destination } = await mirrorSetup('mirror-failed');
    // A folder where a file should land, holding an entry the job excludes: it stays, the file fails.
    await mkdir(path.join(destination, 'keep.bin', 'inside'), { recursive: true });
    await writeFile(path.join(destination, 'keep.bin', 'inside', 'notes.keep'), 'excluded');
    const mirror = await job({
      name: 'mirror-failed',
      from: alpha,
      to: beta,
      mode: 'mirror',
      options: { delete: true },
      exclude: ['**/*.keep'],
      sourcePath: source,
      destinationPath: destination,
    });
    const runId = await queue(mirror.id);
    const done = await finished(runId);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(
      /^1 of 2 files failed; e\.g\. keep\.bin: kind-conflict: .*still holds entries/,
    );
    expect(modeOf(done.checkpoints, 'mirror')).toEqual({ delete: true, skipped: 'files failed' });
    expect(await exists(path.join(destination, 'extra.bin'))).toBe(true);
    expect(await exists(path.join(destination, 'gone', 'deep', 'old.bin'))).toBe(true);
    expect(await exists(path.join(destination, 'link-out'))).toBe(true);
    const audit = await test.db.auditLog.count({ where: { objectId: runId, action: 'run.mirror_delete' } });
    expect(audit).toBe(0);
  });

  it('refuses a mirror with delete whose destination holds its source on the same Star', async () => {
    const { alpha, job, queue, finished } = world;
    const destination = path.join(alpha.root, 'mirror-self');
    await writeRandom(path.join(destination, 'inner', 'a.bin'), 1000);
    const mirror = await job({
      name: 'mirror-self',
      from: alpha,
      to: alpha,
      mode: 'mirror',
      options: { delete: true },
      sourcePath: path.join(destination, 'inner'),
      destinationPath: destination,
    });
    const done = await finished(await queue(mirror.id));
    expect(done).toMatchObject({ state: 'failed', filesTotal: 0 });
    expect(done.error).toMatch(/would remove its own source .*inner, which lies inside the destination/);
    expect(await exists(path.join(destination, 'inner', 'a.bin'))).toBe(true);
  });
});

describe('archive jobs between Stars', () => {
  it('stores the tree in the destination Star’s .orbitpak store, restorable, and a re-run sends no chunk', async () => {
    const { alpha, beta, dir, job, queue, finished } = world;
    const source = path.join(alpha.root, 'to-archive');
    await writeRandom(path.join(source, 'big.bin'), 3 * MiB);
    await writeRandom(path.join(source, 'docs', 'small.bin'), 10_000);
    await writeFile(path.join(source, 'docs', 'empty.txt'), '');
    await mkdir(path.join(source, 'empty-dir'), { recursive: true });
    await symlink('docs/small.bin', path.join(source, 'link'));
    const archiveDir = path.join(beta.root, 'archive');
    const archive = await job({
      name: 'archive',
      from: alpha,
      to: beta,
      mode: 'archive',
      compression: 'zstd:3',
      options: { chunking: SMALL_CHUNKS },
      sourcePath: source,
      destinationPath: archiveDir,
    });

    const firstRun = await queue(archive.id);
    const first = await finished(firstRun);
    expect(first, first.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 3 });
    expect(transferOf(first.checkpoints)).toMatchObject({ filesSent: 3, filesFailed: 0 });
    expect(transferOf(first.checkpoints).chunksSent).toBeGreaterThan(10);
    const firstSnapshot = modeOf(first.checkpoints, 'archive');
    expect(firstSnapshot).toMatchObject({ files: 3, snapshotId: expect.any(String) });
    // The engine's archive layout, and no file of the tree written as itself.
    expect((await readdir(archiveDir)).sort()).toEqual(['index', 'packs', 'snapshots', 'store.json']);
    expect((await getRun({ ctx: world.ctx, input: { runId: firstRun } })).archive).toEqual(firstSnapshot);

    const restored = path.join(dir.path, 'restored');
    const report = await restoreArchive(archiveDir, restored);
    expect(report).toMatchObject({ snapshot: firstSnapshot.snapshotId, filesRestored: 3, symlinks: 1 });
    expect(await treeHashes(restored)).toEqual(await treeHashes(source));
    expect(await readlink(path.join(restored, 'link'))).toBe('docs/small.bin');
    expect((await stat(path.join(restored, 'empty-dir'))).isDirectory()).toBe(true);

    const again = await finished(await queue(archive.id));
    expect(again, again.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 3 });
    // Unchanged since the snapshot (size, mtime, stored chunks): the source read none of it.
    expect(transferOf(again.checkpoints)).toMatchObject({
      chunksSent: 0,
      newBytes: 0,
      bytesRead: 0,
      filesUnchanged: 3,
      filesSent: 0,
      filesFailed: 0,
    });
    const second = modeOf(again.checkpoints, 'archive');
    expect(second.snapshotId).not.toBe(firstSnapshot.snapshotId);
    expect((await readdir(path.join(archiveDir, 'snapshots'))).length).toBe(2);
    const restoredAgain = path.join(dir.path, 'restored-again');
    await restoreArchive(archiveDir, restoredAgain, { snapshot: String(second.snapshotId) });
    expect(await treeHashes(restoredAgain)).toEqual(await treeHashes(source));

    // A changed file (same size, new mtime) is read and stored again; the others still are not.
    await writeRandom(path.join(source, 'docs', 'small.bin'), 10_000);
    const third = await finished(await queue(archive.id));
    expect(third, third.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 3 });
    expect(transferOf(third.checkpoints)).toMatchObject({ filesSent: 1, filesUnchanged: 2 });
    // Only the changed file was read (its cut, and its chunks again to send them), not big.bin.
    expect(transferOf(third.checkpoints).bytesRead).toBeGreaterThanOrEqual(10_000);
    expect(transferOf(third.checkpoints).bytesRead).toBeLessThanOrEqual(20_000);
    const restoredThird = path.join(dir.path, 'restored-third');
    await restoreArchive(archiveDir, restoredThird, {
      snapshot: String(modeOf(third.checkpoints, 'archive').snapshotId),
    });
    expect(await treeHashes(restoredThird)).toEqual(await treeHashes(source));
  });

  it('writes the snapshot when a restarted Nucleus re-attached to the archive push', async () => {
    const { alpha, beta, dir, job, queue, finished } = world;
    const source = path.join(alpha.root, 'archive-restart');
    await writeRandom(path.join(source, 'large.bin'), 160 * MiB);
    await writeRandom(path.join(source, 'small.bin'), 50_000);
    const archiveDir = path.join(beta.root, 'archive-restart');
    const archive = await job({
      name: 'archive-restart',
      from: alpha,
      to: beta,
      mode: 'archive',
      sourcePath: source,
      destinationPath: archiveDir,
    });
    const runId = await queue(archive.id);
    // Chunks are arriving in the store's open container: the push is in flight.
    await waitFor('the archive to receive 24 MiB', async () => {
      const packs = path.join(archiveDir, 'packs');
      for (const name of await readdir(packs).catch(() => [])) {
        const size = (await stat(path.join(packs, name)).catch(() => undefined))?.size ?? 0;
        if (size >= 24 * MiB) return true;
      }
      return undefined;
    });
    await world.restartNucleus();
    expect((await world.runRow(runId)).state).toBe('running');
    const done = await finished(runId, 120_000);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 2 });
    // One push, adopted by the new Nucleus, not a second attempt that prepared the store again.
    const pushes = await world.test.db.gridCommand.findMany({
      where: { runId, kind: 'pushChunks' },
      select: { state: true },
    });
    expect(pushes).toEqual([{ state: 'succeeded' }]);
    const snapshot = modeOf(done.checkpoints, 'archive');
    expect(snapshot).toMatchObject({ files: 2, snapshotId: expect.any(String) });
    const restored = path.join(dir.path, 'restored-after-restart');
    await restoreArchive(archiveDir, restored, { snapshot: String(snapshot.snapshotId) });
    expect(await treeHashes(restored)).toEqual(await treeHashes(source));
  });
});

describe('copy jobs between Stars', () => {
  it('create the source’s folders, empty ones too, with their mode and mtime, and its symlinks', async () => {
    const { alpha, beta, job, queue, finished } = world;
    const source = path.join(alpha.root, 'copy-tree');
    await writeRandom(path.join(source, 'docs', 'a.bin'), 50_000);
    await mkdir(path.join(source, 'empty', 'deeper'), { recursive: true });
    await chmod(path.join(source, 'empty'), 0o750);
    const when = new Date('2024-05-06T07:08:09.000Z');
    await utimes(path.join(source, 'empty'), when, when);
    await symlink('docs/a.bin', path.join(source, 'rel-link'));
    const destination = path.join(beta.root, 'copy-tree');
    const copy = await job({
      name: 'copy-tree',
      from: alpha,
      to: beta,
      sourcePath: source,
      destinationPath: destination,
    });
    const runId = await queue(copy.id);
    const done = await finished(runId);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 1 });
    const folder = await stat(path.join(destination, 'empty'));
    expect(folder.isDirectory()).toBe(true);
    expect(folder.mode & 0o7777).toBe(0o750);
    expect(folder.mtime.toISOString()).toBe(when.toISOString());
    expect((await stat(path.join(destination, 'empty', 'deeper'))).isDirectory()).toBe(true);
    expect(await treeHashes(path.join(destination, 'docs'))).toEqual(
      await treeHashes(path.join(source, 'docs')),
    );
    // empty, empty/deeper and the link created (docs came with its file).
    expect((done.checkpoints as Record<string, unknown>).copy).toEqual({ placed: 3 });
    expect(await readlink(path.join(destination, 'rel-link'))).toBe('docs/a.bin');
    const link = await lstat(path.join(destination, 'rel-link'));
    // The link's own mtime, to the millisecond the scan reports.
    expect(link.mtimeMs).toBe(Math.floor((await lstat(path.join(source, 'rel-link'))).mtimeMs));
    expect((await getRun({ ctx: world.ctx, input: { runId } })).copy).toEqual({
      placed: 3,
      symlinksSkipped: 0,
      skippedReason: null,
    });
  });
});
