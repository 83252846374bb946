import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseSmaps, trimmableMappings } from './code-pages.ts';
import { runScopedChild, scopedChildAvailable } from './scoped-child.fixture.ts';

const SMAPS = `55d0a0000000-55d0a2000000 r--p 00000000 fd:01 1234 /opt/deno/deno
Size:              32768 kB
Rss:                9000 kB
Anonymous:             0 kB
55d0a2000000-55d0a8000000 r-xp 02000000 fd:01 1234 /opt/deno/deno
Rss:               23000 kB
Anonymous:             0 kB
55d0a8000000-55d0a8400000 r--p 08000000 fd:01 1234 /opt/deno/deno
Rss:                4096 kB
Anonymous:          4096 kB
55d0a8400000-55d0a8600000 rw-p 08400000 fd:01 1234 /opt/deno/deno
Rss:                2048 kB
Anonymous:          1024 kB
55d0a8600000-55d0a8700000 r-xp 08600000 fd:01 1234 /opt/deno/deno
Rss:                   0 kB
Anonymous:             0 kB
7f0000000000-7f0000200000 r-xp 00000000 fd:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6
Rss:                1300 kB
Anonymous:             0 kB
7f0000400000-7f0000500000 rw-p 00000000 00:00 0
Rss:                1024 kB
Anonymous:          1024 kB
`;

it('reads the mappings of smaps: range, permissions, path, resident and private KiB', () => {
  const mappings = parseSmaps(SMAPS);
  expect(mappings).toHaveLength(7);
  expect(mappings[1]).toEqual({
    start: 0x55d0a2000000n,
    end: 0x55d0a8000000n,
    perms: 'r-xp',
    path: '/opt/deno/deno',
    rssKiB: 23000,
    anonymousKiB: 0,
  });
  expect(mappings[6]?.path).toBe('');
});

it('trims only the executable’s code and untouched read-only data, never a mapping with private copies', () => {
  const chosen = trimmableMappings(parseSmaps(SMAPS), '/opt/deno/deno');
  // Not: relocated read-only data (private copies), writable data, a mapping with nothing resident,
  // another library, anonymous memory.
  expect(chosen.map((mapping) => [mapping.perms, mapping.rssKiB])).toEqual([
    ['r--p', 9000],
    ['r-xp', 23000],
  ]);
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orbit-code-pages-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

it.runIf(process.platform === 'linux' && scopedChildAvailable)(
  'drops resident code pages under a Star’s scoped permissions, and the process goes on working',
  () => {
    const child = runScopedChild('./scoped-code-pages-child.ts', dir, []);
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const { before, after, trimmedKiB, hash } = JSON.parse(child.stdout) as {
      before: number;
      after: number;
      trimmedKiB: number;
      hash: string;
    };
    expect(trimmedKiB).toBeGreaterThan(4 * 1024);
    expect(after).toBeLessThan(before - 4 * 2 ** 20);
    expect(hash).toBe(createHash('sha256').update('orbit').digest('hex'));
  },
);
