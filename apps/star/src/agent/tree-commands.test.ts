import { lstat, mkdir, readFile, readlink, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntryKind__Output, FileEntry__Output } from '@orbit/proto';
import { describe, expect, it } from 'vitest';
import type { CommandIo } from './command-io.ts';
import { commandIo, useDestinationTree } from './destination-tree.fixture.ts';
import { placeEntries } from './place-entries.ts';
import { removePaths } from './remove-paths.ts';

let base: string;
let dest: string;
let outside: string;
useDestinationTree('tree-commands', (tree) => {
  ({ base, dest, outside } = tree);
});

function io(): CommandIo {
  return commandIo(base);
}

function remove(entries: [string, EntryKind__Output][]) {
  return removePaths(
    { destinationPath: dest, entries: entries.map(([path, kind]) => ({ path, kind })) },
    io(),
  ).then((result) => result.removePaths);
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

describe('RemovePaths', () => {
  it('removes files, folders deepest first and symlinks as links, never what they point at', async () => {
    await mkdir(join(dest, 'old', 'deep'), { recursive: true });
    await writeFile(join(dest, 'old', 'deep', 'a.txt'), 'a');
    await writeFile(join(dest, 'extra.txt'), 'x');
    await symlink(outside, join(dest, 'to-outside'));
    const result = await remove([
      ['old', 'ENTRY_KIND_DIRECTORY'],
      ['to-outside', 'ENTRY_KIND_SYMLINK'],
      ['old/deep/a.txt', 'ENTRY_KIND_FILE'],
      ['extra.txt', 'ENTRY_KIND_FILE'],
      ['old/deep', 'ENTRY_KIND_DIRECTORY'],
    ]);
    expect(result?.failures).toEqual([]);
    expect(result?.removed).toEqual(['old/deep/a.txt', 'old/deep', 'old', 'to-outside', 'extra.txt']);
    expect(await exists(join(dest, 'old'))).toBe(false);
    expect(await exists(join(dest, 'to-outside'))).toBe(false);
    expect(await readFile(join(outside, 'precious.txt'), 'utf8')).toBe('keep me');
    expect(await exists(dest)).toBe(true);
  });

  it('leaves a path that runs through a symlinked folder, a changed kind, a temp file and a non-empty folder', async () => {
    await symlink(outside, join(dest, 'linked-dir'));
    await writeFile(join(dest, 'now-a-file'), 'was a folder in the scan');
    await writeFile(join(dest, '.big.bin.orbit-partial'), 'in flight');
    await mkdir(join(dest, 'holds-excluded'));
    await writeFile(join(dest, 'holds-excluded', 'excluded.tmp'), 'x');
    const result = await remove([
      ['linked-dir/precious.txt', 'ENTRY_KIND_FILE'],
      ['now-a-file', 'ENTRY_KIND_DIRECTORY'],
      ['.big.bin.orbit-partial', 'ENTRY_KIND_FILE'],
      ['holds-excluded', 'ENTRY_KIND_DIRECTORY'],
    ]);
    expect(result?.removed).toEqual([]);
    expect((result?.failures ?? []).map((failure) => failure.path).sort()).toEqual([
      '.big.bin.orbit-partial',
      'linked-dir/precious.txt',
      'now-a-file',
    ]);
    expect((result?.failures ?? []).find((failure) => failure.path === 'now-a-file')?.message).toMatch(
      /is now a file, the scan saw a folder/,
    );
    expect(await readFile(join(outside, 'precious.txt'), 'utf8')).toBe('keep me');
    expect(await exists(join(dest, 'now-a-file'))).toBe(true);
    expect(await exists(join(dest, 'holds-excluded', 'excluded.tmp'))).toBe(true);
  });

  it('refuses paths that leave the destination and a destination outside the allowed roots', async () => {
    await expect(remove([['../escape', 'ENTRY_KIND_FILE']])).rejects.toMatchObject({
      code: 'ERROR_CODE_INVALID_ARGUMENT',
    });
    await expect(remove([['/etc/passwd', 'ENTRY_KIND_FILE']])).rejects.toMatchObject({
      code: 'ERROR_CODE_INVALID_ARGUMENT',
    });
    await expect(
      removePaths(
        { destinationPath: outside, entries: [{ path: 'precious.txt', kind: 'ENTRY_KIND_FILE' }] },
        io(),
      ),
    ).rejects.toThrow(/not under any allowed root/);
    expect(await readFile(join(outside, 'precious.txt'), 'utf8')).toBe('keep me');
  });
});

describe('PlaceEntries', () => {
  const entry = (
    path: string,
    kind: EntryKind__Output,
    extra: Partial<FileEntry__Output> = {},
  ): FileEntry__Output => ({
    path,
    kind,
    size: 0,
    mtimeUnixMs: Date.UTC(2024, 0, 2, 3, 4, 5),
    mode: 0o750,
    linkTarget: '',
    uid: 0,
    gid: 0,
    hardLinkTo: '',
    ...extra,
  });

  it('creates folders with their mode and mtime, and symlinks as links', async () => {
    const result = await placeEntries(
      {
        destinationPath: join(dest, 'new'),
        entries: [
          entry('a/b', 'ENTRY_KIND_DIRECTORY'),
          entry('a', 'ENTRY_KIND_DIRECTORY', { mode: 0o755 }),
          entry('a/link', 'ENTRY_KIND_SYMLINK', { linkTarget: '../../outside/precious.txt' }),
          entry('ignored.txt', 'ENTRY_KIND_FILE'),
        ],
      },
      io(),
    );
    const placed = result.placeEntries;
    // Links are placed through libc under Deno; under Node (no FFI) they are reported, not failed.
    const linked = 'Deno' in globalThis;
    expect(placed?.skipped ?? []).toHaveLength(linked ? 0 : 1);
    expect(placed?.failures).toEqual([]);
    expect(placed?.placed).toBe(linked ? 3 : 2);
    const folder = await stat(join(dest, 'new', 'a', 'b'));
    expect(folder.mode & 0o7777).toBe(0o750);
    expect(folder.mtimeMs).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect((await stat(join(dest, 'new', 'a'))).mode & 0o7777).toBe(0o755);
    if (linked) expect(await readlink(join(dest, 'new', 'a', 'link'))).toBe('../../outside/precious.txt');
    else expect(placed?.skipped?.[0]?.message).toBe('symlink not created: not running under Deno');
    expect(await exists(join(dest, 'new', 'ignored.txt'))).toBe(false);
  });

  it('does not place through a symlinked folder and reports a file in the way', async () => {
    await symlink(outside, join(dest, 'linked-dir'));
    await writeFile(join(dest, 'blocker'), 'a file where the source has a folder');
    await utimes(join(dest, 'blocker'), new Date(), new Date());
    const result = await placeEntries(
      {
        destinationPath: dest,
        entries: [
          entry('linked-dir/inside', 'ENTRY_KIND_DIRECTORY'),
          entry('blocker', 'ENTRY_KIND_DIRECTORY'),
        ],
      },
      io(),
    );
    expect(result.placeEntries?.placed).toBe(0);
    expect((result.placeEntries?.failures ?? []).map((failure) => failure.path)).toEqual([
      'blocker',
      'linked-dir/inside',
    ]);
    expect(await exists(join(outside, 'inside'))).toBe(false);
  });
});
