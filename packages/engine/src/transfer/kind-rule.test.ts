import { execFileSync } from 'node:child_process';
import { link, lstat, readdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobResult, ProvenanceEvent } from '../runner/job-executor.ts';
import { copyJob, mirrorJob } from './transfer-executor.ts';
import {
  describeTree,
  recordingContext,
  testJob,
  useTransferDirs,
  writeTree,
} from './transfer-test-fixtures.ts';

let source: string;
let destination: string;
let state: string;
/** A folder outside the destination that a destination symlink points to. */
let elsewhere: string;
useTransferDirs('kinds', (dirs) => {
  ({ source, destination, state } = dirs);
  elsewhere = join(dirs.root, 'elsewhere');
});

/**
 * The source has `a` a file, `b` a symlink, `c/` and `d/` folders with a file each; the destination
 * has the opposite kinds there: `a/` and `b/` folders with contents, `c` a file, `d` a symlink to
 * a folder outside the destination, which nothing arriving below `d` may land in.
 */
async function oppositeKinds(): Promise<void> {
  await writeTree(source, { a: 'file a', 'c/in-c.txt': 'in c', 'd/in-d.txt': 'in d' });
  await symlink('a', join(source, 'b'));
  await writeTree(destination, { 'a/inner/old.txt': 'old a', 'b/old.txt': 'old b', c: 'old c' });
  await writeTree(elsewhere, { 'precious.txt': 'not the job’s business' });
  await symlink(elsewhere, join(destination, 'd'));
}

function deletedPaths(provenance: readonly ProvenanceEvent[]): string[] {
  return provenance
    .filter((event) => event.type === 'file' && event.action === 'deleted')
    .map((event) => (event.type === 'file' ? event.path : ''))
    .sort();
}

function failedPaths(result: JobResult): Record<string, string> {
  return Object.fromEntries(result.failures.map((failure) => [failure.path, failure.message]));
}

describe('mirror where the destination has another kind of entry than the source', () => {
  it('with delete = true replaces each by the source’s, audits every removal, and a re-run finds it identical', async () => {
    await oppositeKinds();
    const job = testJob({ source, destination, mode: 'mirror', delete: true });
    const context = recordingContext(state);
    const first = await mirrorJob(job, context);
    expect(first.failures).toEqual([]);
    expect(first.status).toBe('succeeded');
    expect(await describeTree(destination)).toEqual(await describeTree(source));
    expect(await readdir(elsewhere)).toEqual(['precious.txt']);
    expect(deletedPaths(context.provenance)).toEqual([
      'a',
      'a/inner',
      'a/inner/old.txt',
      'b',
      'b/old.txt',
      'c',
      'd',
    ]);
    expect(first.counters.filesDeleted).toBe(7);

    const again = recordingContext(state);
    const second = await mirrorJob(job, again);
    expect(second.status).toBe('succeeded');
    expect(second.counters).toMatchObject({ filesCopied: 0, filesUpdated: 0, filesDeleted: 0 });
    expect(again.provenance).toEqual([]);
    expect(await describeTree(destination)).toEqual(await describeTree(source));
  });

  it('without delete replaces a file or link, keeps a folder and fails its path naming the fix', async () => {
    await oppositeKinds();
    const job = testJob({ source, destination, mode: 'mirror' });
    for (let run = 1; run <= 2; run++) {
      const context = recordingContext(state);
      const result = await mirrorJob(job, context);
      expect(result.status).toBe('failed');
      const failed = failedPaths(result);
      expect(Object.keys(failed)).toEqual(['a', 'b']);
      expect(failed.a).toContain('where the source has a file: a mirror replaces a folder');
      expect(failed.b).toContain('where the source has a symlink');
      expect(failed.b).toContain('set delete = true on the job, or move the folder out of the way');
      expect(result.extraneous).toEqual(['a/inner', 'a/inner/old.txt', 'b/old.txt']);
      expect(deletedPaths(context.provenance)).toEqual(run === 1 ? ['c', 'd'] : []);
    }
    expect(await readFile(join(destination, 'a/inner/old.txt'), 'utf8')).toBe('old a');
    expect(await readFile(join(destination, 'd/in-d.txt'), 'utf8')).toBe('in d');
    expect((await lstat(join(destination, 'd'))).isDirectory()).toBe(true);
    expect(await readdir(elsewhere)).toEqual(['precious.txt']);

    // The fix the message names makes the destination identical.
    const fixed = await mirrorJob({ ...job, delete: true }, recordingContext(state));
    expect(fixed.status).toBe('succeeded');
    expect(await describeTree(destination)).toEqual(await describeTree(source));
  });

  it('keeps a folder that holds entries the job excludes, and fails its path saying so', async () => {
    await oppositeKinds();
    await writeTree(destination, { 'a/keep.log': 'excluded' });
    const job = testJob({ source, destination, mode: 'mirror', delete: true, exclude: ['*.log'] });
    for (let run = 1; run <= 2; run++) {
      const context = recordingContext(state);
      const result = await mirrorJob(job, context);
      expect(Object.keys(failedPaths(result))).toEqual(['a']);
      expect(failedPaths(result).a).toContain('still holds entries this mirror does not remove');
      expect(failedPaths(result).a).toContain('a/keep.log');
      expect(deletedPaths(context.provenance)).toEqual(
        run === 1 ? ['a/inner', 'a/inner/old.txt', 'b', 'b/old.txt', 'c', 'd'] : [],
      );
    }
    expect(await readdir(join(destination, 'a'))).toEqual(['keep.log']);
    expect(await readFile(join(destination, 'a/keep.log'), 'utf8')).toBe('excluded');
  });

  it('replaces a folder where the source has another name of a hard-linked file', async () => {
    await oppositeKinds();
    await link(join(source, 'a'), join(source, 'e'));
    await writeTree(destination, { 'e/old.txt': 'old e' });
    const result = await mirrorJob(
      testJob({ source, destination, mode: 'mirror', delete: true }),
      recordingContext(state),
    );
    expect(result.status).toBe('succeeded');
    expect((await lstat(join(destination, 'e'))).ino).toBe((await lstat(join(destination, 'a'))).ino);
  });

  it('replaces a special file where the source has a folder', async () => {
    await oppositeKinds();
    await writeTree(source, { 'f/in-f.txt': 'in f' });
    execFileSync('mkfifo', [join(destination, 'f')]);
    const result = await mirrorJob(testJob({ source, destination, mode: 'mirror' }), recordingContext(state));
    expect(Object.keys(failedPaths(result))).toEqual(['a', 'b']);
    expect(await readFile(join(destination, 'f/in-f.txt'), 'utf8')).toBe('in f');
  });

  it('changes nothing in a dry run', async () => {
    await oppositeKinds();
    const before = await describeTree(destination);
    const job = testJob({ source, destination, mode: 'mirror', delete: true });
    const result = await mirrorJob(job, recordingContext(state, { dryRun: true }));
    expect(result.failures).toEqual([]);
    expect(await describeTree(destination)).toEqual(before);
  });
});

describe('copy where the destination has another kind of entry than the source', () => {
  it('removes nothing and writes nothing through a link: each such path fails naming the fix', async () => {
    await oppositeKinds();
    const before = await describeTree(destination);
    const job = testJob({ source, destination });
    for (let run = 1; run <= 2; run++) {
      const context = recordingContext(state);
      const result = await copyJob(job, context);
      expect(result.status).toBe('failed');
      const failed = failedPaths(result);
      expect(Object.keys(failed).sort()).toEqual(['a', 'b', 'c', 'c/in-c.txt', 'd', 'd/in-d.txt']);
      expect(failed.a).toContain('where the source has a file: copy never removes a folder');
      expect(failed.a).toContain('use mode = "mirror" with delete = true');
      expect(failed.b).toContain('where the source has a symlink: copy never removes a folder');
      expect(failed.c).toContain('the destination has a file here where the source has a folder');
      expect(failed.c).toContain('use mode = "mirror", which replaces it');
      expect(failed.d).toContain('copy neither writes through a symlink nor replaces one with a folder');
      expect(failed['d/in-d.txt']).toContain('not copied: the destination\'s "d" is not a folder');
      expect(deletedPaths(context.provenance)).toEqual([]);
    }
    expect(await describeTree(destination)).toEqual(before);
    expect(await readdir(elsewhere)).toEqual(['precious.txt']);
  });

  it('replaces a link with an arriving file and a file with an arriving link, never following them', async () => {
    await writeTree(source, { e: 'file e' });
    await symlink('e', join(source, 'f'));
    await writeTree(elsewhere, { 'precious.txt': 'not the job’s business' });
    await writeTree(destination, { f: 'a file where the source has a link' });
    await symlink(join(elsewhere, 'precious.txt'), join(destination, 'e'));
    const job = testJob({ source, destination });
    const first = await copyJob(job, recordingContext(state));
    expect(first.status).toBe('succeeded');
    expect(await readFile(join(elsewhere, 'precious.txt'), 'utf8')).toBe('not the job’s business');
    const tree = await describeTree(destination);
    expect(tree).toEqual(await describeTree(source));

    const second = await copyJob(job, recordingContext(state));
    expect(second.counters).toMatchObject({ filesUnchanged: 2, filesCopied: 0, filesUpdated: 0 });
    expect(await describeTree(destination)).toEqual(tree);
  });
});
