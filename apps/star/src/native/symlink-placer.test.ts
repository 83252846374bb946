import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runScopedChild, scopedChildAvailable } from './scoped-child.fixture.ts';
import { type SymlinkPlacement, symlinkSupport } from './symlink-placer.ts';

const support = symlinkSupport();
const placer = 'placer' in support ? support.placer : undefined;
const underDeno = Reflect.get(globalThis, 'Deno') !== undefined;
const MTIME = Date.UTC(2023, 4, 5, 6, 7, 8);

let base: string;
let root: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'orbit-symlink-placer-'));
  root = join(base, 'root');
  await mkdir(join(root, 'sub'), { recursive: true });
  await writeFile(join(base, 'outside.txt'), 'outside');
});
afterEach(() => rm(base, { recursive: true, force: true }));

function at(name: string, target: string, folders: string[] = []): SymlinkPlacement {
  return { rootReal: root, folders, name, target, mtimeMs: MTIME };
}

it.runIf(!underDeno)('has no placer outside Deno, and says why', () => {
  expect(support).toEqual({ unavailable: 'not running under Deno' });
});

describe.runIf(placer !== undefined)('the libc symlink placer', () => {
  const place = async (placement: SymlinkPlacement) => placer?.place(placement);

  it('copies the target text verbatim, sets the link’s own mtime, and follows nothing', async () => {
    expect(await place(at('to-etc', '/etc', ['sub']))).toBe(true);
    expect(await place(at('dangling', '../../nowhere/../x'))).toBe(true);
    expect(await readlink(join(root, 'sub', 'to-etc'))).toBe('/etc');
    expect(await readlink(join(root, 'dangling'))).toBe('../../nowhere/../x');
    const link = await lstat(join(root, 'sub', 'to-etc'));
    expect(link.isSymbolicLink()).toBe(true);
    expect(link.mtimeMs).toBe(MTIME);
    // /etc's own mtime is not what was set.
    expect((await lstat('/etc')).mtimeMs).not.toBe(MTIME);
    expect(existsSync(join(root, 'sub', '.to-etc.orbit-partial'))).toBe(false);
  });

  it('leaves the same link alone and replaces a link with another target', async () => {
    await place(at('l', 'a'));
    expect(await place(at('l', 'a'))).toBe(false);
    expect(await place(at('l', 'b'))).toBe(true);
    expect(await readlink(join(root, 'l'))).toBe('b');
  });

  it('replaces a file in the way, but not a folder', async () => {
    await writeFile(join(root, 'was-file'), 'old');
    expect(await place(at('was-file', '../outside.txt'))).toBe(true);
    expect(await readlink(join(root, 'was-file'))).toBe('../outside.txt');
    expect(await readFile(join(base, 'outside.txt'), 'utf8')).toBe('outside');
    await expect(place(at('sub', 'x'))).rejects.toThrow(/directory where the source has a symbolic link/);
    expect((await lstat(join(root, 'sub'))).isDirectory()).toBe(true);
  });

  it('refuses a folder on the way that is a symlink, even one pointing back inside', async () => {
    await symlink(base, join(root, 'escape'));
    await symlink(join(root, 'sub'), join(root, 'inner'));
    await expect(place(at('planted', 'x', ['escape']))).rejects.toThrow(
      /its folder escape is a symlink or a file; not placed/,
    );
    await expect(place(at('planted', 'x', ['inner']))).rejects.toThrow(
      /its folder inner is a symlink or a file; not placed/,
    );
    expect(existsSync(join(base, 'planted'))).toBe(false);
    expect(existsSync(join(root, 'sub', 'planted'))).toBe(false);
  });

  it('refuses a destination that is not where the jail resolved it', async () => {
    await symlink(join(root, 'sub'), join(base, 'moved'));
    await expect(
      place({ rootReal: join(base, 'moved'), folders: [], name: 'x', target: 'y', mtimeMs: MTIME }),
    ).rejects.toThrow(/the destination became a symlink or a file after it was checked/);
  });
});

describe.runIf(scopedChildAvailable)('under a Star’s scoped permissions', () => {
  it('places links where Deno’s own symlink call is refused', async () => {
    const scoped = runScopedChild('./scoped-placer-child.ts', root, [root, 'hostile', '/etc/passwd']);
    expect(scoped.stderr).toBe('');
    expect(JSON.parse(scoped.stdout)).toEqual({ deno: 'NotCapable', placed: true });
    expect(await readlink(join(root, 'hostile'))).toBe('/etc/passwd');
    expect((await lstat(join(root, 'hostile'))).mtimeMs).toBe(MTIME);
  });
});
