import { link, lstat, mkdir, open, readdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAuditAnchor } from '../audit/audit-head.ts';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import { archiveJob } from '../pack/archive-job.ts';
import { restoreArchive } from '../pack/restore-archive.ts';
import { partialPathFor, writeFileAtomic } from './atomic-file.ts';
import { type ChunkRef, chunkPass } from './chunk-pass.ts';
import type { FileResumePoint } from './file-journal.ts';
import { syncFile } from './file-sync.ts';
import { copyJob } from './transfer-executor.ts';
import {
  describeTree,
  randomData,
  recordingContext,
  TEST_CHUNKING,
  testJob,
  useTransferDirs,
  writeTree,
} from './transfer-test-fixtures.ts';

// Someone who can write in the destination puts a symlink (or a hard link) at the name a temp
// file will take; whatever it points to must stay as it was. Under Deno `small.txt` (one chunk)
// takes the small-file path and `big.bin` the chunk pass; under Node both take the chunk pass.
let root: string;
let source: string;
let destination: string;
let state: string;
/** Outside the destination: what the planted links point to. */
let elsewhere: string;
useTransferDirs('temp-files', (dirs) => {
  ({ root, source, destination, state } = dirs);
  elsewhere = join(root, 'elsewhere');
});

const PRECIOUS = 'not the job’s business';

/** A symlink at the temp name of `target` (in the destination) pointing to `pointsTo`. */
async function plantLink(target: string, pointsTo: string): Promise<void> {
  await mkdir(destination, { recursive: true });
  await symlink(pointsTo, partialPathFor(target));
}

describe('temp files never follow what is planted at their name', () => {
  it('a first copy replaces symlinks at the temp names, pointing at files or at nothing', async () => {
    await writeTree(source, { 'small.txt': 'one chunk', 'big.bin': randomData(300_000) });
    await writeTree(elsewhere, { 'small.txt': PRECIOUS, 'big.bin': PRECIOUS });
    await plantLink(join(destination, 'small.txt'), join(elsewhere, 'small.txt'));
    await plantLink(join(destination, 'big.bin'), join(elsewhere, 'missing.bin'));
    const result = await copyJob(testJob({ source, destination }), recordingContext(state));
    expect(result.failures).toEqual([]);
    expect(await describeTree(destination)).toEqual(await describeTree(source));
    expect(await readdir(elsewhere)).toEqual(['big.bin', 'small.txt']);
    expect(await readFile(join(elsewhere, 'small.txt'), 'utf8')).toBe(PRECIOUS);
    expect(await readFile(join(elsewhere, 'big.bin'), 'utf8')).toBe(PRECIOUS);
  });

  it('fails a path whose temp name is taken by a folder, naming it, and leaves the folder', async () => {
    await writeTree(source, { 'small.txt': 'one chunk', 'big.bin': randomData(300_000) });
    await writeTree(destination, {
      '.small.txt.orbit-partial/kept.txt': PRECIOUS,
      '.big.bin.orbit-partial/kept.txt': PRECIOUS,
    });
    const result = await copyJob(testJob({ source, destination }), recordingContext(state));
    expect(result.failures.map((failure) => failure.path)).toEqual(['big.bin', 'small.txt']);
    for (const failure of result.failures) {
      expect(failure.message).toContain('a folder stands where the temp file of this path goes');
      expect(failure.message).toContain(`.${failure.path}.orbit-partial`);
      expect(failure.message).toContain('move that folder out of the way');
    }
    expect(await readFile(join(destination, '.big.bin.orbit-partial/kept.txt'), 'utf8')).toBe(PRECIOUS);
  });

  describe('a resumed file', () => {
    const algorithm = getHashAlgorithm('blake3');

    /** An interrupted run's journal for `big.bin` and its temp file moved to `elsewhere`. */
    async function interruptedElsewhere(): Promise<{ point: FileResumePoint; moved: string }> {
      const data = randomData(300_000);
      await writeTree(source, { 'big.bin': data });
      const handle = await open(join(source, 'big.bin'), 'r');
      const chunks: ChunkRef[] = await chunkPass(handle, { chunking: TEST_CHUNKING, algorithm });
      await handle.close();
      const kept = chunks.slice(0, 5);
      const end = kept.reduce((sum, chunk) => sum + chunk.length, 0);
      const temp = partialPathFor(join(destination, 'big.bin'));
      await writeTree(elsewhere, { 'big.bin': data.subarray(0, end) });
      const stats = await lstat(join(source, 'big.bin'));
      return {
        point: { temp, size: stats.size, mtimeMs: stats.mtimeMs, chunks: kept },
        moved: join(elsewhere, 'big.bin'),
      };
    }

    async function resume(point: FileResumePoint) {
      return syncFile({
        path: 'big.bin',
        source: join(source, 'big.bin'),
        target: join(destination, 'big.bin'),
        entry: { size: point.size, mtimeMs: point.mtimeMs, mode: 0o644 },
        chunking: TEST_CHUNKING,
        algorithm,
        journal: {
          resumePoint: () => point,
          fileStarted: async () => undefined,
          checkpoint: async () => undefined,
          fileFinished: async () => undefined,
        },
        checkpointBytes: 64 * 1024,
      });
    }

    // The file linked to even holds the journalled chunks, so it would pass their re-verification.
    it.each([
      ['a symlink', symlink],
      ['a hard link', link],
    ] as const)('starts over instead of taking over %s at the temp name', async (_, plant) => {
      const { point, moved } = await interruptedElsewhere();
      const before = await readFile(moved);
      await mkdir(destination, { recursive: true });
      await plant(moved, point.temp);
      const outcome = await resume(point);
      expect(outcome.resumedBytes).toBe(0);
      expect(await describeTree(destination)).toEqual(await describeTree(source));
      expect((await readFile(moved)).equals(before)).toBe(true);
    });
  });

  it('state files, the audit anchor and restored files are written beside links planted at their temp names', async () => {
    await writeTree(elsewhere, { 'victim.txt': PRECIOUS });
    const victim = join(elsewhere, 'victim.txt');
    await mkdir(destination, { recursive: true });

    const stateFile = join(destination, 'state.json');
    await plantLink(stateFile, victim);
    await writeFileAtomic(stateFile, '{"ok":true}\n');
    expect(await readFile(stateFile, 'utf8')).toBe('{"ok":true}\n');

    const log = join(destination, 'audit.log');
    await symlink(victim, `${log}.head.tmp-${process.pid}`);
    await writeAuditAnchor(log, Buffer.alloc(32, 1), { seq: 1, mac: 'ab' }, { bytes: 0, blake3: '00' });
    expect(JSON.parse(await readFile(`${log}.head`, 'utf8'))).toMatchObject({ seq: 1 });

    await writeTree(source, { 'kept.txt': 'restored, not written through' });
    const vault = join(root, 'vault');
    const archived = await archiveJob(
      testJob({ source, destination: vault, mode: 'archive' }),
      recordingContext(state),
    );
    expect(archived.status).toBe('succeeded');
    const restored = join(root, 'restored');
    await mkdir(restored);
    await symlink(victim, partialPathFor(join(restored, 'kept.txt')));
    await restoreArchive(vault, restored);
    expect(await describeTree(restored)).toEqual(await describeTree(source));

    expect(await readFile(victim, 'utf8')).toBe(PRECIOUS);
  });
});
