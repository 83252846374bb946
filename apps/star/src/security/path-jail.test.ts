import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJailTree, type JailTree } from './jail-tree.fixture.ts';
import { ensureJailedDirectory, renameWithinJail } from './jailed-directories.ts';
import { PathDeniedError } from './path-denied-error.ts';
import { createPathJail } from './path-jail.ts';

let tree: JailTree;
beforeEach(() => {
  tree = createJailTree();
});
afterEach(() => tree.cleanup());

async function deniedReason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof PathDeniedError))
    throw new Error(`expected a PathDeniedError, got ${String(error)}`);
  return error.reason;
}

describe('path jail: legitimate paths', () => {
  it('resolves paths under the roots, however they are spelled', async () => {
    const { data, jail } = tree;
    const cases: [string, string, boolean][] = [
      [data, data, true],
      [`${data}/`, data, true],
      [`${data}/file.txt`, `${data}/file.txt`, true],
      [`${data}//dir///sub/`, `${data}/dir/sub`, true],
      [`${data}/./dir/./sub/file.bin`, `${data}/dir/sub/file.bin`, true],
      [`${data}/link-inside/file.bin`, `${data}/dir/sub/file.bin`, true],
      [`${data}/link-abs-inside/sub`, `${data}/dir/sub`, true],
      [`${data}/chain1/sub/file.bin`, `${data}/dir/sub/file.bin`, true],
      [`${data}/self/self/file.txt`, `${data}/file.txt`, true],
      [`${data}/dirlink-up/file.txt`, `${data}/file.txt`, true],
      [`${data}/dir/ünïcödé файл.txt`, `${data}/dir/ünïcödé файл.txt`, true],
      [`${data}/...`, `${data}/...`, true],
      [`${data}/%2e%2e`, `${data}/%2e%2e`, true],
      [`${data}/new-file.txt`, `${data}/new-file.txt`, false],
      [`${data}/new-dir/deeper/file`, `${data}/new-dir/deeper/file`, false],
      [`${data}/dangling-in`, `${data}/dir/not-yet`, false],
      [`${data}/file.txt/below-a-file`, `${data}/file.txt/below-a-file`, false],
    ];
    for (const [requested, realPath, exists] of cases) {
      const jailed = await jail.resolve(requested, 'write');
      expect({ requested, realPath: jailed.realPath, exists: jailed.exists }).toEqual({
        requested,
        realPath,
        exists,
      });
      expect(jailed.root.path).toBe(data);
    }
    expect(jail.stats()).toEqual({ resolved: cases.length, denied: 0, deniedByReason: {} });
  });

  it('reads read-only roots and writes read-write roots nested inside them', async () => {
    const { archive, shelf, jail } = tree;
    expect((await jail.resolve(`${archive}/a.txt`, 'read')).root.access).toBe('ro');
    expect((await jail.resolve(`${shelf}/inner/new.txt`, 'write')).root).toEqual({
      path: `${shelf}/inner`,
      access: 'rw',
    });
    expect(await deniedReason(jail.resolve(`${shelf}/new.txt`, 'write'))).toBe('read-only');
  });

  it('follows a root that is itself a symlink, and links that name the root by that path', async () => {
    const alias = join(tree.base, 'alias');
    symlinkSync(tree.data, alias);
    symlinkSync(`${alias}/dir`, join(tree.data, 'via-alias'));
    const jail = createPathJail([{ path: alias, access: 'rw' }]);
    expect((await jail.resolve(`${alias}/file.txt`, 'read')).realPath).toBe(`${tree.data}/file.txt`);
    expect((await jail.resolve(`${alias}/via-alias/sub`, 'read')).realPath).toBe(`${tree.data}/dir/sub`);
    expect(await deniedReason(jail.resolve(`${tree.data}/file.txt`, 'read'))).toBe('outside-roots');
  });
});

describe('path jail: opening', () => {
  it('creates, writes and reads back a file through the jail', async () => {
    const { data, jail } = tree;
    const created = await jail.open(`${data}/dir/created.txt`, 'wx');
    await created.handle.writeFile('hello');
    await created.handle.close();
    const read = await jail.open(`${data}/link-abs-inside/created.txt`, 'r');
    expect(await read.handle.readFile('utf8')).toBe('hello');
    await read.handle.close();
    expect(read.path.realPath).toBe(`${data}/dir/created.txt`);
    await expect(jail.open(`${data}/dir/created.txt`, 'wx')).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await deniedReason(jail.open(`${tree.archive}/a.txt`, 'w'))).toBe('read-only');
  });

  it('refuses a write through a path resolved for reading', async () => {
    const jailed = await tree.jail.resolve(`${tree.data}/file.txt`, 'read');
    expect(await deniedReason(tree.jail.openResolved(jailed, 'a'))).toBe('read-only');
  });

  it('catches a symlink swapped in for the file after the check (O_NOFOLLOW)', async () => {
    const target = `${tree.data}/target.txt`;
    writeFileSync(target, 'innocent');
    const jailed = await tree.jail.resolve(target, 'write');
    rmSync(target);
    symlinkSync(join(tree.secret, 'key.txt'), target);
    expect(await deniedReason(tree.jail.openResolved(jailed, 'w'))).toBe('swapped');
    expect(readFileSync(join(tree.secret, 'key.txt'), 'utf8')).toBe('SECRET');
  });

  it('catches a directory swapped for a symlink in the middle of the path after the check', async () => {
    const file = `${tree.data}/dir/sub/file.bin`;
    const forRead = await tree.jail.resolve(file, 'read');
    const forWrite = await tree.jail.resolve(file, 'write');
    renameSync(`${tree.data}/dir/sub`, `${tree.data}/dir/sub-moved`);
    symlinkSync(tree.secret, `${tree.data}/dir/sub`);
    expect(await deniedReason(tree.jail.openResolved(forRead, 'r'))).toBe('swapped');
    // A truncating open must not have truncated the outside file before the swap was noticed.
    expect(await deniedReason(tree.jail.openResolved(forWrite, 'w'))).toBe('swapped');
    expect(readFileSync(join(tree.secret, 'file.bin'), 'utf8')).toBe('SECRET');
    // Resolving again sees the link and refuses it up front.
    expect(await deniedReason(tree.jail.resolve(file, 'read'))).toBe('symlink-escape');
  });

  it('accepts a file atomically replaced at the same path (an ordinary rename, not an escape)', async () => {
    const target = `${tree.data}/replaced.txt`;
    writeFileSync(target, 'first');
    const jailed = await tree.jail.resolve(target, 'read');
    mkdirSync(`${tree.data}/elsewhere`);
    writeFileSync(`${tree.data}/elsewhere/replaced.txt`, 'second');
    renameSync(`${tree.data}/elsewhere/replaced.txt`, target);
    // Same path, new inode: that is an ordinary replace and the open sees the new file consistently.
    const file = await tree.jail.openResolved(jailed, 'r');
    expect(await file.handle.readFile('utf8')).toBe('second');
    await file.handle.close();
  });
});

describe('path jail: refusals are typed, counted and reported', () => {
  it('counts refusals by reason and calls the log hook', async () => {
    const { data, jail, denials } = tree;
    await deniedReason(jail.resolve('/etc/passwd', 'read'));
    await deniedReason(jail.resolve(`${data}/../secret`, 'read'));
    await deniedReason(jail.resolve(`${data}/link-to-root/etc`, 'read'));
    await deniedReason(jail.resolve(`${data}/link-to-parent`, 'read'));
    expect(jail.stats()).toEqual({
      resolved: 0,
      denied: 4,
      deniedByReason: { 'outside-roots': 1, 'dot-dot': 1, 'symlink-escape': 2 },
    });
    expect(denials.map((error) => error.path)).toEqual([
      '/etc/passwd',
      `${data}/../secret`,
      `${data}/link-to-root/etc`,
      `${data}/link-to-parent`,
    ]);
    expect(denials[0]?.message).toMatch(/not under any allowed root/);
    expect(denials[0]?.hint).toMatch(/allowed_paths/);
  });

  it('survives a log hook that throws', async () => {
    const jail = createPathJail(tree.roots, {
      onDenied: () => {
        throw new Error('logger down');
      },
    });
    expect(await deniedReason(jail.resolve('/etc', 'read'))).toBe('outside-roots');
  });

  it('reports a missing root', async () => {
    const jail = createPathJail([{ path: join(tree.base, 'gone'), access: 'rw' }]);
    expect(await deniedReason(jail.resolve(join(tree.base, 'gone', 'x'), 'read'))).toBe('root-missing');
  });

  it('refuses to build a jail from bad roots', () => {
    expect(() => createPathJail([{ path: 'relative', access: 'rw' }])).toThrow(/absolute/);
    expect(() => createPathJail([{ path: '/srv/../etc', access: 'rw' }])).toThrow(/\.\./);
  });
});

describe('jailed directories and renames', () => {
  it('creates missing directories under a read-write root and refuses read-only ones', async () => {
    const made = await ensureJailedDirectory(tree.jail, `${tree.data}/link-inside/new/deeper`);
    expect(made.realPath).toBe(`${tree.data}/dir/sub/new/deeper`);
    expect(statSync(made.realPath).isDirectory()).toBe(true);
    expect((await ensureJailedDirectory(tree.jail, `${tree.data}/dir`)).realPath).toBe(`${tree.data}/dir`);
    expect(await deniedReason(ensureJailedDirectory(tree.jail, `${tree.archive}/x`))).toBe('read-only');
    expect(await deniedReason(ensureJailedDirectory(tree.jail, `${tree.data}/link-to-parent/x`))).toBe(
      'symlink-escape',
    );
    expect(existsSync(join(tree.base, 'x'))).toBe(false);
  });

  it('refuses to treat an existing file as a directory', async () => {
    await expect(ensureJailedDirectory(tree.jail, `${tree.data}/file.txt`)).rejects.toMatchObject({
      code: 'ENOTDIR',
    });
  });

  it('renames a finished temporary file into place, never across the jail', async () => {
    const temporary = await tree.jail.open(`${tree.data}/dir/.part`, 'wx');
    await temporary.handle.writeFile('complete');
    await temporary.handle.close();
    const placed = await renameWithinJail(
      tree.jail,
      `${tree.data}/dir/.part`,
      `${tree.data}/link-abs-inside/final.bin`,
    );
    expect(placed.realPath).toBe(`${tree.data}/dir/final.bin`);
    expect(readFileSync(placed.realPath, 'utf8')).toBe('complete');
    expect(await deniedReason(renameWithinJail(tree.jail, placed.requested, `${tree.secret}/stolen`))).toBe(
      'outside-roots',
    );
    expect(
      await deniedReason(renameWithinJail(tree.jail, `${tree.archive}/a.txt`, `${tree.data}/a.txt`)),
    ).toBe('read-only');
    symlinkSync(join(tree.secret, 'key.txt'), `${tree.data}/dir/inner-link`);
    expect(
      await deniedReason(renameWithinJail(tree.jail, `${tree.data}/dir/inner-link`, `${tree.data}/x`)),
    ).toBe('symlink-escape');
  });
});
