import { chmod, lchown, lstat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepsOwners } from './ownership.ts';
import { copyJob, mirrorJob } from './transfer-executor.ts';
import { recordingContext, testJob, useTransferDirs, writeTree } from './transfer-test-fixtures.ts';

let root: string;
let source: string;
let destination: string;
useTransferDirs('owners', (dirs) => {
  ({ root, source, destination } = dirs);
});

async function ownerOf(path: string): Promise<[number, number]> {
  const stats = await lstat(path);
  return [stats.uid, stats.gid];
}

const asRoot = keepsOwners();

describe.runIf(asRoot)('ownership as root (rsync -a)', () => {
  // Under Deno small files are copied by the small-file worker, which sets the owner before the
  // rename, or in-thread, where the job sets it after; under Node the flag changes nothing.
  it.each([true, false])(
    'keeps the uid and gid of files, folders and links, and setuid bits through the chown (small-file worker: %s)',
    async (smallFileWorker) => {
      await writeTree(source, { 'a.txt': 'a', 'sub/b.txt': 'b', 'tool.sh': '#!/bin/sh\n' });
      await symlink('a.txt', join(source, 'link'));
      await chmod(join(source, 'tool.sh'), 0o4755);
      for (const [path, uid, gid] of [
        ['a.txt', 1234, 2345],
        ['sub', 1300, 1400],
        ['sub/b.txt', 1301, 1401],
        ['link', 1500, 1600],
        ['tool.sh', 1700, 1800],
      ] as const)
        await lchown(join(source, path), uid, gid);
      // chown cleared setuid on the source too; set it again.
      await chmod(join(source, 'tool.sh'), 0o4755);

      const context = recordingContext(join(root, 'state'), { smallFileWorker });
      const result = await copyJob(testJob({ source, destination }), context);
      expect(result.status).toBe('succeeded');
      for (const path of ['a.txt', 'sub', 'sub/b.txt', 'link', 'tool.sh'])
        expect(await ownerOf(join(destination, path)), path).toEqual(await ownerOf(join(source, path)));
      expect((await lstat(join(destination, 'tool.sh'))).mode & 0o7777).toBe(0o4755);
    },
  );

  it('gives an unchanged file its new owner on the next run', async () => {
    await writeTree(source, { 'a.txt': 'a' });
    const job = testJob({ source, destination, mode: 'mirror' });
    expect((await mirrorJob(job, recordingContext(join(root, 'state')))).status).toBe('succeeded');
    await lchown(join(source, 'a.txt'), 4321, 5432);
    const again = await mirrorJob(job, recordingContext(join(root, 'state')));
    expect(again.counters.filesUnchanged).toBe(1);
    expect(await ownerOf(join(destination, 'a.txt'))).toEqual([4321, 5432]);
  });
});

describe.runIf(!asRoot)('ownership as anyone else', () => {
  it('is skipped silently: the copy succeeds with the copier as owner', async () => {
    await writeTree(source, { 'a.txt': 'a' });
    const result = await copyJob(testJob({ source, destination }), recordingContext(join(root, 'state')));
    expect(result.status).toBe('succeeded');
    expect((await lstat(join(destination, 'a.txt'))).uid).toBe(process.getuid?.());
  });
});
