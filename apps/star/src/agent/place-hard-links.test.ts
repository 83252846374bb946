import { spawnSync } from 'node:child_process';
import {
  chmod,
  lstat,
  mkdir,
  readFile,
  rm,
  stat,
  symlink,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileEntry__Output } from '@orbit/proto';
import { describe, expect, it } from 'vitest';
import { runScopedChild, scopedChildAvailable } from '../native/scoped-child.fixture.ts';
import type { CommandIo } from './command-io.ts';
import { commandIo, useDestinationTree } from './destination-tree.fixture.ts';
import { placeEntries } from './place-entries.ts';

let base: string;
let dest: string;
let outside: string;
useDestinationTree('hard-links', (tree) => {
  ({ base, dest, outside } = tree);
});

function io(): CommandIo {
  return commandIo(base);
}

function follower(path: string, hardLinkTo: string): FileEntry__Output {
  return {
    path,
    kind: 'ENTRY_KIND_FILE',
    size: 0,
    mtimeUnixMs: 0,
    mode: 0o644,
    linkTarget: '',
    uid: 0,
    gid: 0,
    hardLinkTo,
  };
}

async function place(entries: FileEntry__Output[], destinationPath = dest) {
  const result = (await placeEntries({ destinationPath, entries }, io())).placeEntries;
  if (!result) throw new Error('placeEntries returned no result');
  return {
    failures: result.failures ?? [],
    hardLinked: result.hardLinked ?? [],
    hardLinksUnchanged: result.hardLinksUnchanged ?? 0,
    hardLinkCopies: result.hardLinkCopies ?? [],
  };
}

async function inode(path: string): Promise<number> {
  return (await lstat(path)).ino;
}

describe('PlaceEntries with hard links', () => {
  it('links later names to the first one, leaves a correct link alone and re-links a broken one', async () => {
    await writeFile(join(dest, 'a.bin'), 'the data');
    const first = await place([follower('b.bin', 'a.bin'), follower('new/c.bin', 'a.bin')]);
    expect(first.failures).toEqual([]);
    expect(first.hardLinked.sort()).toEqual(['b.bin', 'new/c.bin']);
    expect(first.hardLinksUnchanged).toBe(0);
    const leader = await inode(join(dest, 'a.bin'));
    expect(await inode(join(dest, 'b.bin'))).toBe(leader);
    expect(await inode(join(dest, 'new', 'c.bin'))).toBe(leader);

    const again = await place([follower('b.bin', 'a.bin'), follower('new/c.bin', 'a.bin')]);
    expect(again).toMatchObject({ hardLinksUnchanged: 2, failures: [] });

    // Someone replaced one name with a separate file: it becomes a link again.
    await rm(join(dest, 'b.bin'));
    await writeFile(join(dest, 'b.bin'), 'the data');
    const relinked = await place([follower('b.bin', 'a.bin')]);
    expect(relinked).toMatchObject({ hardLinked: ['b.bin'], hardLinksUnchanged: 0 });
    expect(await inode(join(dest, 'b.bin'))).toBe(leader);
  });

  it('replaces a symlink at the name without writing through it', async () => {
    await writeFile(join(dest, 'a.bin'), 'the data');
    await symlink(join(outside, 'precious.txt'), join(dest, 'b.bin'));
    const result = await place([follower('b.bin', 'a.bin')]);
    expect(result.failures).toEqual([]);
    expect(await inode(join(dest, 'b.bin'))).toBe(await inode(join(dest, 'a.bin')));
    expect(await readFile(join(outside, 'precious.txt'), 'utf8')).toBe('keep me');
  });

  it('refuses a first name reached through a symlink, a missing one and a folder in the way', async () => {
    await symlink(outside, join(dest, 'linked-dir'));
    await mkdir(join(dest, 'real'));
    await writeFile(join(dest, 'real', 'a.bin'), 'inside the root, behind a link');
    await symlink('real', join(dest, 'inner-link'));
    await writeFile(join(dest, 'a.bin'), 'the data');
    await mkdir(join(dest, 'folder.bin'));
    const result = await place([
      follower('stolen.txt', 'linked-dir/precious.txt'),
      follower('behind.bin', 'inner-link/a.bin'),
      follower('orphan.bin', 'never-arrived.bin'),
      follower('folder.bin', 'a.bin'),
    ]);
    expect(result.hardLinked).toEqual([]);
    const messages = Object.fromEntries(result.failures.map((failure) => [failure.path, failure.message]));
    expect(messages['stolen.txt']).toMatch(/symlink-escape/);
    expect(messages['behind.bin']).toMatch(/through a symlink; not placed/);
    expect(messages['orphan.bin']).toMatch(/the copy this hard link should point to is missing/);
    expect(messages['folder.bin']).toMatch(/has a directory where the source has a file/);
    expect(await readFile(join(outside, 'precious.txt'), 'utf8')).toBe('keep me');
    expect((await stat(join(outside, 'precious.txt'))).nlink).toBe(1);
    await expect(lstat(join(dest, 'stolen.txt'))).rejects.toThrow(/ENOENT/);
    await expect(lstat(join(dest, 'behind.bin'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses a first name that leaves the destination', async () => {
    await expect(place([follower('b.bin', '../outside/precious.txt')])).rejects.toMatchObject({
      code: 'ERROR_CODE_INVALID_ARGUMENT',
    });
  });

  // Another filesystem below the destination cannot share an inode with it (EXDEV): mounting one
  // needs root, which the Stars' CI runs as.
  it.runIf(canMount())(
    'copies the first name where it cannot be linked, with its mode and mtime',
    async () => {
      await writeFile(join(dest, 'a.bin'), 'the data');
      await chmod(join(dest, 'a.bin'), 0o640);
      const when = new Date('2023-04-05T06:07:08.000Z');
      await utimes(join(dest, 'a.bin'), when, when);
      // A first name with holes: its copy keeps them.
      const sparse = join(dest, 'sparse.img');
      await writeFile(sparse, 'data at the start');
      await truncate(sparse, 4 * 1024 * 1024);
      const other = join(dest, 'other-fs');
      await mkdir(other);
      mount(other);
      try {
        const result = await place([
          follower('other-fs/b.bin', 'a.bin'),
          follower('other-fs/sparse.img', 'sparse.img'),
        ]);
        expect(result).toMatchObject({
          failures: [],
          hardLinked: [],
          hardLinkCopies: ['other-fs/b.bin', 'other-fs/sparse.img'],
        });
        const sparseCopy = await stat(join(other, 'sparse.img'));
        expect(sparseCopy.size).toBe(4 * 1024 * 1024);
        expect(sparseCopy.blocks * 512).toBeLessThan(64 * 1024);
        expect((await readFile(join(other, 'sparse.img'))).equals(await readFile(sparse))).toBe(true);
        const copy = await stat(join(other, 'b.bin'));
        expect(await readFile(join(other, 'b.bin'), 'utf8')).toBe('the data');
        expect(copy.mode & 0o7777).toBe(0o640);
        expect(copy.mtime.toISOString()).toBe(when.toISOString());
        expect(copy.ino).not.toBe(await inode(join(dest, 'a.bin')));
      } finally {
        spawnSync('umount', [other]);
      }
    },
  );

  // Under a Star's scoped permissions Deno opens what a symlink points to even with O_NOFOLLOW, so
  // only a real scoped child shows whether a first name swapped for a link is refused.
  it.runIf(canMount() && scopedChildAvailable)(
    'never copies what a first name swapped for a symlink points to, under a Star’s permissions',
    async () => {
      await writeFile(join(dest, 'secret.txt'), 'not for this job');
      await symlink(join(dest, 'secret.txt'), join(dest, 'a.bin'));
      const other = join(dest, 'other-fs');
      await mkdir(other);
      mount(other);
      try {
        const scoped = runScopedChild('../agent/scoped-copy-child.ts', base, [
          join(other, 'b.bin'),
          join(dest, 'a.bin'),
        ]);
        expect(scoped.stderr).toBe('');
        expect(JSON.parse(scoped.stdout)).toEqual({
          error: `${join(dest, 'a.bin')} is no longer a regular file; not copied`,
        });
        await expect(lstat(join(other, 'b.bin'))).rejects.toMatchObject({ code: 'ENOENT' });
      } finally {
        spawnSync('umount', [other]);
      }
    },
  );
});

function mount(at: string): void {
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'orbit-test', at], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`mount failed: ${result.stderr}`);
}

/** Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN), checked once. */
function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = join(tmpdir(), `orbit-mount-probe-${process.pid}`);
  spawnSync('mkdir', ['-p', probe]);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'orbit-probe', probe]).status === 0;
  if (mounted) spawnSync('umount', [probe]);
  spawnSync('rmdir', [probe]);
  return mounted;
}
