import { lstat, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeHashes } from './grid-e2e-harness.ts';
import { createGridWorld, type GridWorld, writeRandom } from './grid-world.ts';

let world: GridWorld;
beforeAll(async () => {
  world = await createGridWorld('mirror-kinds');
});
afterAll(() => world?.close());

async function mirror(
  name: string,
  fields: { source: string; destination: string; del: boolean; exclude?: string[] },
) {
  return (await world.runner(name, { ...fields, mode: 'mirror' }))();
}

async function kindOf(file: string): Promise<string> {
  const stats = await lstat(file).catch(() => undefined);
  if (!stats) return 'missing';
  return stats.isSymbolicLink() ? 'symlink' : stats.isDirectory() ? 'folder' : 'file';
}

async function kinds(root: string, names: readonly string[]): Promise<Record<string, string>> {
  return Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await kindOf(path.join(root, name))])),
  );
}

/**
 * The source has `a` a file, `b` a symlink, `c/` and `d/` folders with a file each; the destination
 * has the opposite kinds there: `a/` and `b/` folders with contents, `c` a file, `d` a symlink to a
 * folder beside it (inside the root, which a file arriving below `d` must not land in).
 */
async function oppositeKinds(name: string) {
  const source = path.join(world.alpha.root, name, 'src');
  const destination = path.join(world.beta.root, name, 'dest');
  const elsewhere = path.join(world.beta.root, name, 'elsewhere');
  await writeRandom(path.join(source, 'a'), 3000);
  await symlink('a', path.join(source, 'b'));
  await writeRandom(path.join(source, 'c', 'in-c.bin'), 2000);
  await writeRandom(path.join(source, 'd', 'in-d.bin'), 1000);
  await writeRandom(path.join(destination, 'a', 'inner', 'old.bin'), 500);
  await writeRandom(path.join(destination, 'b', 'old.bin'), 500);
  await writeFile(path.join(destination, 'c'), 'a file where the source has a folder');
  await mkdir(elsewhere, { recursive: true });
  await writeFile(path.join(elsewhere, 'precious.txt'), 'not the mirror’s business');
  await symlink(elsewhere, path.join(destination, 'd'));
  return { source, destination, elsewhere };
}

describe('mirror where the destination has another kind of entry than the source', () => {
  it('with delete = true replaces folders, files and links by what the source has, and audits it', async () => {
    const { source, destination, elsewhere } = await oppositeKinds('replace');
    const done = await mirror('replace', { source, destination, del: true });
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 3 });
    expect(await kinds(destination, ['a', 'b', 'c', 'd'])).toEqual({
      a: 'file',
      b: 'symlink',
      c: 'folder',
      d: 'folder',
    });
    expect(await readlink(path.join(destination, 'b'))).toBe('a');
    expect(await treeHashes(destination)).toEqual(await treeHashes(source));
    // The link at `d` was removed, never followed: what it pointed to is as it was.
    expect(await readFile(path.join(elsewhere, 'precious.txt'), 'utf8')).toBe('not the mirror’s business');
    expect(await kindOf(path.join(elsewhere, 'in-d.bin'))).toBe('missing');

    const audit = await world.test.db.auditLog.findFirst({
      where: { objectId: done.id, action: 'run.mirror_replace' },
      select: { after: true },
    });
    const after = audit?.after as { replaced: { path: string; was: string; now: string }[]; paths: string[] };
    expect([...after.replaced].sort((x, y) => x.path.localeCompare(y.path))).toEqual([
      { path: 'a', was: 'ENTRY_KIND_DIRECTORY', now: 'ENTRY_KIND_FILE' },
      { path: 'b', was: 'ENTRY_KIND_DIRECTORY', now: 'ENTRY_KIND_SYMLINK' },
      { path: 'c', was: 'ENTRY_KIND_FILE', now: 'ENTRY_KIND_DIRECTORY' },
      { path: 'd', was: 'ENTRY_KIND_SYMLINK', now: 'ENTRY_KIND_DIRECTORY' },
    ]);
    expect([...after.paths].sort()).toEqual(['a', 'a/inner', 'a/inner/old.bin', 'b', 'b/old.bin', 'c', 'd']);

    const again = await mirror('replace-again', { source, destination, del: true });
    expect(again, again.error ?? '').toMatchObject({ state: 'succeeded' });
    expect(
      await world.test.db.auditLog.count({ where: { objectId: again.id, action: 'run.mirror_replace' } }),
    ).toBe(0);
  });

  it('without delete keeps a folder in the way, naming the path and the fix; files and links in the way are replaced', async () => {
    const { source, destination } = await oppositeKinds('keep');
    const done = await mirror('keep', { source, destination, del: false });
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(
      /^1 of 3 files failed; e\.g\. a: kind-conflict: the destination has a folder here where the source has a file: .*set delete = true on the job/,
    );
    expect(await kinds(destination, ['a', 'b', 'c', 'd'])).toEqual({
      a: 'folder',
      b: 'folder',
      c: 'folder',
      d: 'folder',
    });
    expect(await kindOf(path.join(destination, 'a', 'inner', 'old.bin'))).toBe('file');
    expect(await kindOf(path.join(destination, 'b', 'old.bin'))).toBe('file');

    // Only a link in the way: the files all arrive and the link is what fails, with the same advice.
    const linkOnly = path.join(world.alpha.root, 'keep-link', 'src');
    await writeRandom(path.join(linkOnly, 'data.bin'), 100);
    await symlink('data.bin', path.join(linkOnly, 'b'));
    const links = await mirror('keep-link', { source: linkOnly, destination, del: false });
    expect(links.state).toBe('failed');
    expect(links.error).toMatch(
      /could not be created at the destination; e\.g\. b: the destination has a folder here where the source has a symlink: .*set delete = true/,
    );
    expect(await kindOf(path.join(destination, 'b', 'old.bin'))).toBe('file');
  });

  it('with delete = true keeps a folder that holds entries the job excludes, and says so', async () => {
    const source = path.join(world.alpha.root, 'excluded', 'src');
    const destination = path.join(world.beta.root, 'excluded', 'dest');
    await writeRandom(path.join(source, 'a'), 1000);
    await writeRandom(path.join(destination, 'a', 'old.bin'), 100);
    await writeFile(path.join(destination, 'a', 'notes.keep'), 'excluded from the job');
    const done = await mirror('excluded', { source, destination, del: true, exclude: ['**/*.keep'] });
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(
      /^1 of 1 files failed; e\.g\. a: kind-conflict: .*still holds entries this mirror does not remove/,
    );
    expect(await readFile(path.join(destination, 'a', 'notes.keep'), 'utf8')).toBe('excluded from the job');
    // Its listed contents went, as the CLI's mirror with delete removes them.
    expect(await kindOf(path.join(destination, 'a', 'old.bin'))).toBe('missing');
  });
});
