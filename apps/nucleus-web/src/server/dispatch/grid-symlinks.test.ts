import { lchown, lstat, mkdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeHashes } from './grid-e2e-harness.ts';
import { createGridWorld, type GridWorld, type RunnerFields, writeRandom } from './grid-world.ts';

let world: GridWorld;
beforeAll(async () => {
  world = await createGridWorld('links');
});
afterAll(() => world?.close());

/** A name under /etc no test may ever create: the Stars run as whoever runs the tests (often root). */
const PLANTED = '/etc/orbit-grid-symlinks-test';

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

async function runJob(name: string, fields: RunnerFields) {
  return (await world.runner(name, fields))();
}

describe('symlinks between Stars', () => {
  it('copies links verbatim, even ones pointing out of the root, and never writes through them', async () => {
    const source = path.join(world.alpha.root, 'hostile-src');
    await writeRandom(path.join(source, 'a.bin'), 1000);
    await symlink('/etc', path.join(source, 'etc-link'));
    await symlink('/etc/passwd', path.join(source, 'passwd-link'));
    await symlink('../../../../nowhere', path.join(source, 'dangling'));
    const destination = path.join(world.beta.root, 'hostile-dest');
    const copied = await runJob('hostile-copy', { source, destination });
    expect(copied, copied.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 1 });
    expect((copied.checkpoints as Record<string, unknown>).copy).toEqual({ placed: 3 });
    expect(await readlink(path.join(destination, 'etc-link'))).toBe('/etc');
    expect(await readlink(path.join(destination, 'passwd-link'))).toBe('/etc/passwd');
    expect(await readlink(path.join(destination, 'dangling'))).toBe('../../../../nowhere');

    // A later job whose files would land "inside" the copied link: refused by the Star's jail.
    const through = path.join(world.alpha.root, 'through-src');
    await mkdir(path.join(through, 'etc-link'), { recursive: true });
    await writeFile(path.join(through, 'etc-link', path.basename(PLANTED)), 'planted');
    const refused = await runJob('through-link', { source: through, destination });
    expect(refused.state).toBe('failed');
    expect(refused.error).toMatch(/etc-link\/orbit-grid-symlinks-test: path-denied: .*symlink-escape/);
    expect(await exists(PLANTED)).toBe(false);

    // A job whose destination is the link itself: refused before any byte moves.
    const into = await runJob('into-link', {
      source: through,
      destination: path.join(destination, 'etc-link'),
    });
    expect(into.state).toBe('failed');
    expect(into.error).toMatch(
      /^path denied \(symlink-escape\): link .*\/etc-link points to \/etc, outside root/,
    );
    expect(await exists(path.join('/etc', 'etc-link'))).toBe(false);
    expect(await exists(PLANTED)).toBe(false);
  });

  it('a file arriving where the destination has a link replaces the link, not its target', async () => {
    const victim = path.join(world.beta.root, 'victim.txt');
    await writeFile(victim, 'untouched');
    const source = path.join(world.alpha.root, 'replace-src');
    await writeRandom(path.join(source, 'was-link.bin'), 5000);
    const destination = path.join(world.beta.root, 'replace-dest');
    await mkdir(destination, { recursive: true });
    await symlink(victim, path.join(destination, 'was-link.bin'));
    await symlink('/etc/passwd', path.join(destination, 'was-link-out.bin'));
    await writeRandom(path.join(source, 'was-link-out.bin'), 3000);
    const passwd = await readFile('/etc/passwd', 'utf8');
    const done = await runJob('replace-link', { source, destination });
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 2 });
    expect((await lstat(path.join(destination, 'was-link.bin'))).isFile()).toBe(true);
    expect((await lstat(path.join(destination, 'was-link-out.bin'))).isFile()).toBe(true);
    expect(await treeHashes(destination)).toEqual(await treeHashes(source));
    expect(await readFile(victim, 'utf8')).toBe('untouched');
    expect(await readFile('/etc/passwd', 'utf8')).toBe(passwd);
  });

  it('mirror replaces a file with the source’s link and removes extra links with delete', async () => {
    const source = path.join(world.alpha.root, 'mirror-src');
    await writeRandom(path.join(source, 'data.bin'), 4000);
    await mkdir(path.join(source, 'sub'));
    await symlink('../data.bin', path.join(source, 'sub', 'now-link'));
    const destination = path.join(world.beta.root, 'mirror-dest');
    await mkdir(path.join(destination, 'sub'), { recursive: true });
    await writeFile(path.join(destination, 'sub', 'now-link'), 'a file where the source has a link');
    await symlink('data.bin', path.join(destination, 'extra-link'));
    await symlink('/etc', path.join(destination, 'extra-out'));
    const done = await runJob('mirror-links', { source, destination, mode: 'mirror', del: true });
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 1 });
    expect(await readlink(path.join(destination, 'sub', 'now-link'))).toBe('../data.bin');
    expect(await exists(path.join(destination, 'extra-link'))).toBe(false);
    expect(await exists(path.join(destination, 'extra-out'))).toBe(false);
    expect((await stat('/etc')).isDirectory()).toBe(true);
    const mirror = (done.checkpoints as Record<string, Record<string, unknown>>).mirror;
    expect(mirror).toMatchObject({ delete: true, extraneous: 2, removed: 2, placed: 1 });
    expect(mirror?.symlinksSkipped).toBeUndefined();
  });

  // The Stars run as the test runner: as root they keep owners (rsync -a); as anyone else they cannot.
  it.runIf(process.getuid?.() === 0)('as root, keeps the owner of files, folders and links', async () => {
    const source = path.join(world.alpha.root, 'owners-src');
    await writeRandom(path.join(source, 'dir', 'file.bin'), 2000);
    await mkdir(path.join(source, 'empty'));
    await symlink('dir/file.bin', path.join(source, 'link'));
    const owners: [string, number, number][] = [
      ['dir', 1201, 1301],
      ['dir/file.bin', 1202, 1302],
      ['empty', 1203, 1303],
      ['link', 1204, 1304],
    ];
    for (const [entry, uid, gid] of owners) await lchown(path.join(source, entry), uid, gid);
    const destination = path.join(world.beta.root, 'owners-dest');
    const done = await runJob('owners', { source, destination, mode: 'mirror' });
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 1 });
    for (const [entry, uid, gid] of owners) {
      const stats = await lstat(path.join(destination, entry));
      expect([stats.uid, stats.gid], entry).toEqual([uid, gid]);
    }
    // An unchanged tree whose owners changed at the source: the next run gives them the new owners.
    await lchown(path.join(source, 'dir', 'file.bin'), 1402, 1502);
    await lchown(path.join(source, 'link'), 1404, 1504);
    const again = await runJob('owners-again', { source, destination, mode: 'mirror' });
    expect(again, again.error ?? '').toMatchObject({ state: 'succeeded' });
    expect((await lstat(path.join(destination, 'dir', 'file.bin'))).uid).toBe(1402);
    expect((await lstat(path.join(destination, 'link'))).gid).toBe(1504);
  });
});
