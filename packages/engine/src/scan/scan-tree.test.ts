import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrbitError } from '../errors.ts';
import { type ScanEntry, type ScanFailure, type ScanOptions, scanTree } from './scan-tree.ts';

let base: string;
let root: string;
const MTIME = new Date('2026-01-02T03:04:05.000Z');

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'orbit-scan-'));
  root = join(base, 'root');
  await mkdir(join(root, 'b', 'd'), { recursive: true });
  await mkdir(join(root, 'node_modules'));
  await writeFile(join(root, 'a.txt'), 'hello');
  await chmod(join(root, 'a.txt'), 0o640);
  await utimes(join(root, 'a.txt'), MTIME, MTIME);
  await writeFile(join(root, 'b', 'c.txt'), 'c');
  await writeFile(join(root, 'b', 'd', 'e.bin'), new Uint8Array(1234));
  await writeFile(join(root, 'node_modules', 'x.js'), 'x');
  await writeFile(join(root, 'z.tmp'), 'tmp');
  await writeFile(join(root, '.dot'), '');
  await writeFile(join(base, 'secret.txt'), 'outside the root');
  await symlink('a.txt', join(root, 'link-file'));
  await symlink('b', join(root, 'link-dir'));
  await symlink('missing', join(root, 'dangling'));
  await symlink(base, join(root, 'outside'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
});

afterEach(async () => {
  await chmod(join(root, 'b'), 0o755).catch(() => {});
  await rm(base, { recursive: true, force: true });
});

async function collect(options: ScanOptions = {}, at = root): Promise<ScanEntry[]> {
  const entries: ScanEntry[] = [];
  for await (const entry of scanTree(at, options)) entries.push(entry);
  return entries;
}

interface ScanReport {
  paths: string[];
  failures: { path: string; code: string; hint: string | undefined }[];
}

/**
 * Root reads every directory regardless of permissions (CAP_DAC_READ_SEARCH, CAP_DAC_OVERRIDE), so
 * as root the walk runs in a child process still root but without those two capabilities (setpriv
 * + tsx): permissions apply to it, and it can still read the checkout wherever it lies (as `nobody`
 * it could not read a clone in a private folder such as one from `mktemp -d`). Otherwise in this
 * process.
 */
async function scanAsUnprivileged(): Promise<ScanReport> {
  if (process.getuid?.() !== 0) {
    const failures: ScanReport['failures'] = [];
    const entries = await collect({
      onError: ({ path, error }) => failures.push({ path, code: error.code, hint: error.hint }),
    });
    return { paths: pathsOf(entries), failures };
  }
  const probe = join(base, 'probe.mts');
  await writeFile(
    probe,
    `import { scanTree } from ${JSON.stringify(join(import.meta.dirname, 'scan-tree.ts'))};
const report = { paths: [], failures: [] };
const onError = ({ path, error }) => report.failures.push({ path, code: error.code, hint: error.hint });
for await (const entry of scanTree(${JSON.stringify(root)}, { onError })) report.paths.push(entry.path);
console.log(JSON.stringify(report));
`,
  );
  const tsx = join(import.meta.dirname, '../../../../node_modules/tsx/dist/cli.mjs');
  const output = execFileSync(
    'setpriv',
    ['--bounding-set=-dac_override,-dac_read_search', 'node', tsx, probe],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(output) as ScanReport;
}

const pathsOf = (entries: readonly ScanEntry[]): string[] => entries.map((entry) => entry.path);

it('walks depth first in sorted order, yielding each directory before its contents', async () => {
  expect(pathsOf(await collect())).toEqual([
    '.dot',
    'a.txt',
    'b',
    'b/c.txt',
    'b/d',
    'b/d/e.bin',
    'dangling',
    'fifo',
    'link-dir',
    'link-file',
    'node_modules',
    'node_modules/x.js',
    'outside',
    'z.tmp',
  ]);
});

it('reports kind, size, permissions and mtime', async () => {
  const entries = new Map((await collect()).map((entry) => [entry.path, entry]));
  expect(entries.get('a.txt')).toEqual({
    path: 'a.txt',
    kind: 'file',
    size: 5,
    mtimeMs: MTIME.getTime(),
    mode: 0o640,
    owner: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 },
  });
  expect(entries.get('b/d/e.bin')).toMatchObject({ kind: 'file', size: 1234 });
  expect(entries.get('b')).toMatchObject({ kind: 'dir', size: 0 });
  expect(entries.get('fifo')).toMatchObject({ kind: 'special', size: 0 });
});

it('reports symlinks with their stored target and never follows them', async () => {
  const entries = await collect();
  const links = entries.filter((entry) => entry.kind === 'symlink');
  expect(links.map(({ path, linkTarget }) => ({ path, linkTarget }))).toEqual([
    { path: 'dangling', linkTarget: 'missing' },
    { path: 'link-dir', linkTarget: 'b' },
    { path: 'link-file', linkTarget: 'a.txt' },
    { path: 'outside', linkTarget: base },
  ]);
  expect(pathsOf(entries).some((path) => path.startsWith('link-dir/') || path.startsWith('outside/'))).toBe(
    false,
  );
});

describe('filters', () => {
  it('prunes excluded directories without descending into them', async () => {
    const visited: string[] = [];
    const entries = await collect({
      exclude: ['node_modules/', '*.tmp'],
      ignore: (path) => {
        visited.push(path);
        return false;
      },
    });
    expect(pathsOf(entries)).not.toContain('node_modules');
    expect(pathsOf(entries)).not.toContain('z.tmp');
    expect(visited).toContain('node_modules');
    expect(visited).not.toContain('node_modules/x.js');
  });

  it('applies include to files, symlinks and special files but keeps directories', async () => {
    expect(pathsOf(await collect({ include: ['**/*.txt'] }))).toEqual([
      'a.txt',
      'b',
      'b/c.txt',
      'b/d',
      'node_modules',
    ]);
  });

  it('walks only below `from`, with paths and filters as from the root', async () => {
    expect(pathsOf(await collect({ from: 'b', exclude: ['/b/d/'] }))).toEqual(['b/c.txt']);
    expect(pathsOf(await collect({ from: 'b/d' }))).toEqual(['b/d/e.bin']);
    expect(await collect({ from: 'node_modules', exclude: ['node_modules/'] })).toEqual([]);
    await expect(collect({ from: 'link-dir' })).rejects.toThrow('the scan root is not a directory');
  });

  it('lets ignore prune a directory', async () => {
    const paths = pathsOf(await collect({ ignore: (path) => path === 'b' }));
    expect(paths.filter((path) => path.startsWith('b'))).toEqual([]);
    expect(paths).toContain('a.txt');
  });
});

describe('failures', () => {
  it('reports a directory removed mid-walk to onError and carries on', async () => {
    const failures: ScanFailure[] = [];
    const paths: string[] = [];
    for await (const entry of scanTree(root, { onError: (failure) => failures.push(failure) })) {
      paths.push(entry.path);
      if (entry.path === 'b') await rm(join(root, 'b'), { recursive: true });
      if (entry.path === 'a.txt') await rm(join(root, 'dangling'));
    }
    expect(failures.map((failure) => failure.path)).toEqual(['b', 'dangling']);
    for (const failure of failures) {
      expect(failure.error).toBeInstanceOf(OrbitError);
      expect(failure.error.code).toBe('PATH_NOT_FOUND');
    }
    expect(failures[0]?.error.location.path).toBe(join(root, 'b'));
    expect(paths).toContain('z.tmp');
  });

  it('throws the first failure when there is no onError', async () => {
    const walk = async (): Promise<void> => {
      for await (const entry of scanTree(root)) {
        if (entry.path === 'b') await rm(join(root, 'b'), { recursive: true });
      }
    };
    await expect(walk()).rejects.toMatchObject({
      code: 'PATH_NOT_FOUND',
      location: { path: join(root, 'b') },
    });
  });

  it('reports an unreadable directory as an IO failure and carries on', async () => {
    await chmod(join(root, 'b'), 0o000);
    const { paths, failures } = await scanAsUnprivileged();
    expect(paths).toContain('b');
    expect(paths).not.toContain('b/c.txt');
    expect(paths).toContain('z.tmp');
    expect(failures).toEqual([{ path: 'b', code: 'IO', hint: expect.stringMatching(/permission/) }]);
  });

  it('rejects a missing root and a root that is a file', async () => {
    await expect(collect({}, join(base, 'nope'))).rejects.toMatchObject({ code: 'PATH_NOT_FOUND' });
    await expect(collect({}, join(root, 'a.txt'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('stops when the signal is aborted', async () => {
    await expect(collect({ signal: AbortSignal.abort() })).rejects.toThrow();
  });
});

it('lets the event loop turn during a long walk, so timers, signals and messages are not held back', async () => {
  const wide = join(base, 'wide');
  await mkdir(wide);
  await Promise.all(Array.from({ length: 1200 }, (_, index) => writeFile(join(wide, `f${index}`), '')));
  let seen = 0;
  let seenWhenTurned: number | undefined;
  for await (const _entry of scanTree(wide)) {
    // Asked for once the walk is under way (its start awaits an lstat, a turn of its own).
    if (++seen === 1) {
      setImmediate(() => {
        seenWhenTurned = seen;
      });
    }
  }
  expect(seen).toBe(1200);
  // The callback ran while the walk was still going, not after it.
  expect(seenWhenTurned).toBeDefined();
  expect(seenWhenTurned).toBeLessThan(1200);
});

it('stops at an abort that arrives by the event loop during a long walk', async () => {
  const wide = join(base, 'wide');
  await mkdir(wide);
  await Promise.all(Array.from({ length: 1200 }, (_, index) => writeFile(join(wide, `f${index}`), '')));
  const stop = new AbortController();
  let seen = 0;
  await expect(
    (async () => {
      for await (const _entry of scanTree(wide, { signal: stop.signal })) {
        if (++seen === 1) setImmediate(() => stop.abort());
      }
    })(),
  ).rejects.toThrow();
  expect(seen).toBeLessThan(1200);
});
