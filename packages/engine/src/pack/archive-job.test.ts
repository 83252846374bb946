import { unlinkSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import { archiveJob } from './archive-job.ts';
import {
  archiveJobFor,
  makeTempDir,
  recordingContext,
  writeMixedTree,
  writeTreeFile,
} from './archive-test-fixtures.ts';
import { listPacks, openChunkIndex, PACKS_DIR, rebuildIndex } from './chunk-index.ts';
import { HEADER_SIZE } from './pack-format.ts';
import { PackReader } from './pack-reader.ts';
import { restoreArchive } from './restore-archive.ts';
import { listSnapshots, snapshotPath } from './snapshot.ts';
import { verifyArchive } from './verify-archive.ts';

let root: string;
let source: string;
let archive: string;
let target: string;

beforeEach(async () => {
  root = await makeTempDir('archive');
  source = join(root, 'source');
  archive = join(root, 'archive');
  target = join(root, 'restored');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function expectSameFile(path: string): Promise<void> {
  const [original, restored] = await Promise.all([
    readFile(join(source, path)),
    readFile(join(target, path)),
  ]);
  expect(restored.equals(original), path).toBe(true);
  const [a, b] = await Promise.all([stat(join(source, path)), stat(join(target, path))]);
  expect(b.mode & 0o7777, `${path} mode`).toBe(a.mode & 0o7777);
  expect(Math.abs(b.mtimeMs - a.mtimeMs), `${path} mtime`).toBeLessThan(1);
}

describe('archive mode', () => {
  it('round-trips a mixed tree: empty file, multi-chunk file, symlink, nested and empty dirs', async () => {
    await writeMixedTree(source);
    const job = archiveJobFor(source, archive, { compression: { codec: 'zstd', level: 3 } });
    const context = recordingContext(root);
    const result = await archiveJob(job, context);
    expect(result.status).toBe('succeeded');
    expect(result.counters.filesCopied).toBe(6);

    expect(await verifyArchive(archive)).toMatchObject({ ok: true, snapshots: 1, problems: [] });
    const report = await restoreArchive(archive, target);
    expect(report).toMatchObject({ filesRestored: 5, symlinks: 1 });
    for (const path of [
      'empty.txt',
      'docs/readme.md',
      'data/deep/nested/big.bin',
      'data/copy-of-big.bin',
      'data/text.log',
    ]) {
      await expectSameFile(path);
    }
    expect(await readlink(join(target, 'data/link-to-big'))).toBe('deep/nested/big.bin');
    expect((await lstat(join(target, 'empty-dir'))).isDirectory()).toBe(true);
    expect(Math.round((await stat(join(target, 'docs/readme.md'))).mtimeMs / 1000)).toBe(1_600_000_000);
    expect((await readdir(target, { recursive: true })).some((name) => name.includes('orbit-partial'))).toBe(
      false,
    );

    const fileEvents = context.provenance.filter((event) => event.type === 'file');
    // The walk is in name order, so the nested file is the second copy of the same content.
    expect(fileEvents.find((event) => event.path === 'data/deep/nested/big.bin')).toMatchObject({
      chunksWritten: 0,
    });
  });

  it('deduplicates within a run and writes nothing new on a second run of an unchanged tree', async () => {
    const { big } = await writeMixedTree(source);
    const job = archiveJobFor(source, archive);
    const first = recordingContext(root);
    const firstResult = await archiveJob(job, first);
    const chunkActions = first.provenance.flatMap((event) =>
      event.type === 'chunk' && event.file === 'data/deep/nested/big.bin' ? [event.action] : [],
    );
    expect(chunkActions.length).toBeGreaterThan(5);
    expect(new Set(chunkActions)).toEqual(new Set(['deduplicated']));
    // The duplicate file costs nothing: new bytes are the distinct content only.
    expect(firstResult.counters.bytesWritten).toBeLessThan(big.length * 1.2 + 200_000);

    const second = await archiveJob(job, recordingContext(root));
    expect(second.status).toBe('succeeded');
    expect(second.counters).toMatchObject({
      bytesWritten: 0,
      chunksWritten: 0,
      bytesRead: 0,
      filesUnchanged: 6,
    });
    expect(await listSnapshots(archive)).toHaveLength(2);

    // A changed file is re-read; its unchanged chunks are reused from the first run.
    const changed = Buffer.from(big);
    changed[changed.length - 1] = (changed[changed.length - 1] ?? 0) ^ 1;
    await writeFile(join(source, 'data/deep/nested/big.bin'), changed);
    const context = recordingContext(root);
    const third = await archiveJob(job, context);
    expect(third.counters.filesUpdated).toBe(1);
    expect(third.counters.chunksReused).toBeGreaterThan(third.counters.chunksWritten);
    expect(third.counters.bytesWritten).toBeLessThan(100_000);
    await restoreArchive(archive, target);
    await expectSameFile('data/deep/nested/big.bin');
  });

  it('rotates containers at the pack size, and each container is readable on its own', async () => {
    await writeMixedTree(source);
    const job = archiveJobFor(source, archive, { packSize: 128 * 1024 });
    expect((await archiveJob(job, recordingContext(root))).status).toBe('succeeded');
    const packs = await listPacks(archive);
    expect(packs.length).toBeGreaterThan(4);
    for (const name of packs) {
      const path = join(archive, PACKS_DIR, name);
      const reader = await PackReader.open(path);
      try {
        expect(reader.entries.length).toBeGreaterThan(0);
        const entry = reader.entries[0];
        if (entry === undefined) throw new Error('empty container');
        const data = await reader.readChunk(entry);
        expect(getHashAlgorithm('blake3').hash(data)).toBe(entry.hash);
        // Rotation is before the chunk that would overflow, so only a lone oversize chunk exceeds it.
        if (reader.entries.length > 1) expect((await stat(path)).size).toBeLessThanOrEqual(job.packSize);
      } finally {
        await reader.close();
      }
    }
    await restoreArchive(archive, target);
    await expectSameFile('data/deep/nested/big.bin');
  });

  it('reports a flipped byte in a container at restore, naming the container and offset', async () => {
    await writeTreeFile(
      source,
      'one.bin',
      Buffer.alloc(50_000, 3).map((_, i) => (i * 31) % 251),
    );
    await archiveJob(archiveJobFor(source, archive), recordingContext(root));
    const [name] = await listPacks(archive);
    if (name === undefined) throw new Error('no container written');
    const path = join(archive, PACKS_DIR, name);
    const bytes = await readFile(path);
    bytes[200] = (bytes[200] ?? 0) ^ 0x10;
    await writeFile(path, bytes);

    const verified = await verifyArchive(archive);
    expect(verified.ok).toBe(false);
    expect(verified.problems[0]).toMatchObject({ path, offset: HEADER_SIZE });
    expect(verified.problems.at(-1)?.message).toMatch(/"one\.bin" cannot be restored/);

    const error = await restoreArchive(archive, target).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CORRUPT', location: { path } });
    expect(String((error as Error).message)).toMatch(/one\.bin.*byte offset \d+/);
    expect(await readdir(target).catch(() => [])).toEqual([]);
  });

  it('leaves a consistent store after an abort mid-run, and the next run completes it', async () => {
    await writeMixedTree(source);
    const job = archiveJobFor(source, archive, { packSize: 64 * 1024 });
    const controller = new AbortController();
    let chunksSeen = 0;
    const aborted = recordingContext(root, {
      signal: controller.signal,
      onProgress: (event) => {
        if (event.type === 'bytes' && ++chunksSeen === 20) controller.abort();
      },
    });
    await expect(archiveJob(job, aborted)).rejects.toThrow();
    expect(await listSnapshots(archive)).toEqual([]);
    const packNames = await readdir(join(archive, PACKS_DIR));
    expect(packNames.some((name) => name.endsWith('.tmp'))).toBe(false);
    const { index, missingPacks } = await openChunkIndex(archive, false);
    expect(missingPacks).toEqual([]);
    expect(index.packs.size).toBe(packNames.length);
    expect(index.chunkCount).toBeGreaterThan(0);

    const next = await archiveJob(job, recordingContext(root));
    expect(next.status).toBe('succeeded');
    expect(next.counters.chunksReused).toBeGreaterThan(0);
    await restoreArchive(archive, target);
    await expectSameFile('data/deep/nested/big.bin');
    await expectSameFile('data/text.log');
  });

  it("removes a crashed run's unreadable temp container and indexes a container sealed after the last index write", async () => {
    await writeMixedTree(source);
    const job = archiveJobFor(source, archive, { packSize: 64 * 1024 });
    await archiveJob(job, recordingContext(root));
    const packs = await listPacks(archive);
    // A crash between sealing a container and appending its index line leaves the index behind.
    const indexText = await readFile(join(archive, 'index'), 'utf8');
    await writeFile(join(archive, 'index'), `${indexText.trim().split('\n').slice(0, -1).join('\n')}\n`);
    await writeFile(join(archive, PACKS_DIR, '20260101T000000Z-deadbeef.orbitpak.tmp'), 'ORBITPAK half');

    const again = await archiveJob(job, recordingContext(root));
    expect(again.status).toBe('succeeded');
    expect(again.counters.chunksWritten).toBe(0);
    expect(await listPacks(archive)).toEqual(packs);
    expect((await readdir(join(archive, PACKS_DIR))).some((name) => name.endsWith('.tmp'))).toBe(false);
    expect((await readFile(join(archive, 'index'), 'utf8')).trim().split('\n')).toHaveLength(packs.length);
  });

  it("rebuilds a damaged index from the containers' footers", async () => {
    await writeMixedTree(source);
    await archiveJob(archiveJobFor(source, archive, { packSize: 64 * 1024 }), recordingContext(root));
    const before = await openChunkIndex(archive, false);
    await writeFile(join(archive, 'index'), '{"pack": broken');
    const rebuilt = await rebuildIndex(archive);
    expect(rebuilt).toEqual({ packs: before.index.packs.size, chunks: before.index.chunkCount });
    await restoreArchive(archive, target);
    await expectSameFile('data/copy-of-big.bin');
  });

  it('refuses to overwrite different files unless asked, and skips identical ones', async () => {
    await writeMixedTree(source);
    await archiveJob(archiveJobFor(source, archive), recordingContext(root));
    await writeTreeFile(target, 'docs/readme.md', Buffer.from('local edits'));
    await expect(restoreArchive(archive, target)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/docs\/readme\.md/),
      hint: expect.stringMatching(/overwrite/),
    });
    expect(await readFile(join(target, 'docs/readme.md'), 'utf8')).toBe('local edits');
    expect(await readdir(target)).toEqual(['docs']);

    const report = await restoreArchive(archive, target, { overwrite: true });
    await expectSameFile('docs/readme.md');
    expect(report.filesRestored).toBe(5);
    const again = await restoreArchive(archive, target);
    // Five files already there; the symlink is counted once, among the symlinks.
    expect(again).toMatchObject({ filesRestored: 0, filesUnchanged: 5, symlinks: 1 });
  });

  it('restores a chosen snapshot and only the included paths', async () => {
    await writeMixedTree(source);
    await archiveJob(archiveJobFor(source, archive), recordingContext(root));
    const [first] = await listSnapshots(archive);
    await writeFile(join(source, 'docs/readme.md'), 'second version');
    await archiveJob(archiveJobFor(source, archive), recordingContext(root));
    if (first === undefined) throw new Error('no snapshot');

    await restoreArchive(archive, target, { snapshot: first.id, include: ['docs/**'] });
    expect(await readFile(join(target, 'docs/readme.md'), 'utf8')).toBe('# Orbit\nhello archive\n');
    expect(await readdir(target)).toEqual(['docs']);
    await expect(restoreArchive(archive, target, { snapshot: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('reports what would change on a dry run without creating the archive', async () => {
    await writeMixedTree(source);
    const result = await archiveJob(archiveJobFor(source, archive), recordingContext(root, { dryRun: true }));
    // Reading nothing, it bounds what it would store by the files' sizes (the link stores none).
    const sizes = 0 + '# Orbit\nhello archive\n'.length + 2 * 700 * 1024 + 'line\n'.length * 20_000;
    expect(result.counters).toMatchObject({ filesCopied: 6, bytesWritten: sizes, bytesRead: 0 });
    await expect(stat(archive)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reports a file that vanished before it was read and archives the rest', async () => {
    await writeMixedTree(source);
    // data/text.log is larger than minSize, so it is read when its turn comes (small ones are read ahead).
    const context = recordingContext(root, {
      onProgress: (event) => {
        if (event.type === 'file-start' && event.path === 'data/text.log')
          unlinkSync(join(source, event.path));
      },
    });
    const result = await archiveJob(archiveJobFor(source, archive), context);
    expect(result.status).toBe('failed');
    expect(result.failures.map((failure) => failure.path)).toEqual(['data/text.log']);
    expect(result.failures[0]?.message).toMatch(/text\.log/);
    const [snapshot] = await listSnapshots(archive);
    expect(snapshot).toMatchObject({ complete: false, files: 4 });
    await restoreArchive(archive, target);
    await expectSameFile('docs/readme.md');
  });

  it("does not archive itself or the run's state when they live inside the source", async () => {
    await writeMixedTree(source);
    const inside = join(source, 'backups/archive');
    const stateDir = join(source, '.orbit');
    await writeTreeFile(stateDir, 'journal.json', Buffer.from('{}'));
    const context = { ...recordingContext(root), ignorePaths: [stateDir] };
    const first = await archiveJob(archiveJobFor(source, inside), context);
    expect(first.status).toBe('succeeded');
    const second = await archiveJob(archiveJobFor(source, inside), {
      ...recordingContext(root),
      ignorePaths: [stateDir],
    });
    expect(second.counters.chunksWritten).toBe(0);
    const [snapshot] = await listSnapshots(inside);
    expect(snapshot?.files).toBe(5);
  });

  it('refuses to create an archive in a folder that holds other files', async () => {
    await writeMixedTree(source);
    await writeTreeFile(archive, 'notes.txt', Buffer.from('mine'));
    const result = await archiveJob(archiveJobFor(source, archive), recordingContext(root));
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/notes\.txt/);
    expect(await readdir(archive)).toEqual(['notes.txt']);
  });

  it('verifies every whole file: a snapshot whose file hash was altered restores nothing for it', async () => {
    await writeTreeFile(source, 'a.txt', Buffer.from('alpha'));
    await archiveJob(archiveJobFor(source, archive), recordingContext(root));
    const [summary] = await listSnapshots(archive);
    if (summary === undefined) throw new Error('no snapshot');
    const file = snapshotPath(archive, summary.id);
    const text = await readFile(file, 'utf8');
    const hash = /"hash":"([0-9a-f]{64})"/.exec(text)?.[1] ?? '';
    await writeFile(file, text.replace(`"hash":"${hash}"`, `"hash":"${'0'.repeat(64)}"`));
    await expect(restoreArchive(archive, target)).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(await readdir(target)).toEqual([]);
  });

  it('restores many files at once, and a file that fails leaves no partial file behind', async () => {
    const large = Buffer.alloc(1_300_000).map((_, i) => (i * 7 + (i >> 12)) % 253);
    await writeTreeFile(source, 'large.bin', large);
    for (let index = 0; index < 40; index++) {
      await writeTreeFile(source, `many/${String(index).padStart(2, '0')}.txt`, Buffer.from(`file ${index}`));
    }
    await archiveJob(archiveJobFor(source, archive), recordingContext(root));
    const report = await restoreArchive(archive, target);
    expect(report.filesRestored).toBe(41);
    expect((await readFile(join(target, 'large.bin'))).equals(large)).toBe(true);
    expect(await readFile(join(target, 'many/17.txt'), 'utf8')).toBe('file 17');
    expect((await readdir(join(target, 'many'))).length).toBe(40);

    const [summary] = await listSnapshots(archive);
    if (summary === undefined) throw new Error('no snapshot');
    const file = snapshotPath(archive, summary.id);
    const text = await readFile(file, 'utf8');
    const broken = text.replace(/("path":"many\/17\.txt"[^}]*"hash":")[0-9a-f]{64}/, `$1${'0'.repeat(64)}`);
    expect(broken).not.toBe(text);
    await writeFile(file, broken);
    const fresh = join(root, 'fresh');
    await expect(restoreArchive(archive, fresh)).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    const left = await readdir(join(fresh, 'many'));
    expect(left.filter((name) => name.includes('orbit-partial'))).toEqual([]);
    expect(left).not.toContain('17.txt');
  });

  it('refuses to restore through a symlink standing where a parent folder belongs', async () => {
    await writeMixedTree(source);
    await archiveJob(archiveJobFor(source, archive), recordingContext(root));
    const elsewhere = join(root, 'elsewhere');
    await mkdir(elsewhere);
    await mkdir(target);
    await symlink(elsewhere, join(target, 'docs'));
    await expect(restoreArchive(archive, target, { overwrite: true })).rejects.toMatchObject({
      message: expect.stringMatching(/docs\/readme\.md/),
    });
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('lets one run at a time write an archive', async () => {
    await writeMixedTree(source);
    const job = archiveJobFor(source, archive);
    const [a, b] = await Promise.all([
      archiveJob(job, recordingContext(root)),
      archiveJob(job, recordingContext(root)),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual(['failed', 'succeeded']);
    expect([a.reason, b.reason].join(' ')).toMatch(/in use by process/);
    expect(await listSnapshots(archive)).toHaveLength(1);
    expect((await readdir(archive)).includes('lock')).toBe(false);
  });
});
