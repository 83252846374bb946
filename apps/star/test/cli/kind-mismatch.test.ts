import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeTree, writeTree } from '@orbit/engine/transfer/transfer-test-fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, orbit, parseJson, type RunJson } from './cli-harness.ts';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let src: string;
let out: string;
let elsewhere: string;
beforeEach(async () => {
  dir = await makeTempDir('kinds');
  src = join(dir.path, 'src');
  out = join(dir.path, 'out');
  elsewhere = join(dir.path, 'elsewhere');
  // The source has `a` a file, `b` a symlink, `c/` and `d/` folders; the destination the opposite
  // kinds, `d` a symlink to a folder outside it, which nothing arriving below `d` may land in.
  await writeTree(dir.path, {
    'src/a': 'file a',
    'src/c/in-c.txt': 'in c',
    'src/d/in-d.txt': 'in d',
    'out/a/inner/old.txt': 'old a',
    'out/b/old.txt': 'old b',
    'out/c': 'old c',
    'elsewhere/precious.txt': 'not the job’s business',
  });
  await symlink('a', join(src, 'b'));
  await symlink(elsewhere, join(out, 'd'));
});
afterEach(async () => {
  await dir.remove();
});

async function writeManifest(mode: string): Promise<void> {
  await writeFile(
    join(dir.path, 'orbit.manifest.toml'),
    [
      '[defaults]',
      'audit_log = "audit.log"',
      '',
      '[[job]]',
      'name = "kinds"',
      'source = "src"',
      'destination = "out"',
      mode,
      '',
    ].join('\n'),
  );
}

async function run(): Promise<RunJson & { code: number | null }> {
  const result = await orbit(['run', '--manifest', 'orbit.manifest.toml', '--json'], { cwd: dir.path });
  return { ...parseJson<RunJson>(result), code: result.code };
}

async function auditedDeletions(): Promise<string[]> {
  const lines = (await readFile(join(dir.path, 'audit.log'), 'utf8')).trim().split('\n');
  return lines
    .map((line) => JSON.parse(line) as { type: string; action?: string; path?: string })
    .filter((event) => event.type === 'file' && event.action === 'deleted')
    .map((event) => event.path ?? '')
    .sort();
}

function failuresByPath(summary: RunJson): Record<string, string> {
  return Object.fromEntries(summary.failures.map((failure) => [failure.path ?? '', failure.message]));
}

describe('orbit run where the destination has another kind of entry than the source', () => {
  it('mirror with delete = true makes it identical, audits each removal, and a re-run changes nothing', async () => {
    await writeManifest('mode = "mirror"\ndelete = true');
    const first = await run();
    expect(first.failures).toEqual([]);
    expect(first.code).toBe(0);
    expect(await describeTree(out)).toEqual(await describeTree(src));
    expect(await readdir(elsewhere)).toEqual(['precious.txt']);
    expect(await auditedDeletions()).toEqual(['a', 'a/inner', 'a/inner/old.txt', 'b', 'b/old.txt', 'c', 'd']);
    const verify = await orbit(['audit', 'verify', 'audit.log'], { cwd: dir.path });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);

    const second = await run();
    expect(second.code).toBe(0);
    expect(second.totals).toMatchObject({ filesCopied: 0, filesUpdated: 0, filesDeleted: 0 });
    expect(await describeTree(out)).toEqual(await describeTree(src));
  });

  it('mirror without delete keeps a folder in the way and names the fix, which then makes it identical', async () => {
    await writeManifest('mode = "mirror"');
    const kept = await run();
    expect(kept.code).toBe(1);
    const failed = failuresByPath(kept);
    expect(Object.keys(failed)).toEqual(['a', 'b']);
    expect(failed.a).toContain('a mirror replaces a folder, and everything in it, only with delete = true');
    expect(failed.a).toContain('set delete = true on the job, or move the folder out of the way');
    expect(await readFile(join(out, 'a/inner/old.txt'), 'utf8')).toBe('old a');
    expect(await readdir(elsewhere)).toEqual(['precious.txt']);

    await writeManifest('mode = "mirror"\ndelete = true');
    expect((await run()).code).toBe(0);
    expect(await describeTree(out)).toEqual(await describeTree(src));
  });

  it('copy replaces a link with an arriving file, and fails the paths it would have to remove or write through', async () => {
    await writeFile(join(src, 'e'), 'file e');
    await symlink(join(elsewhere, 'precious.txt'), join(out, 'e'));
    await writeManifest('mode = "copy"');
    const before = await describeTree(out);
    for (let attempt = 1; attempt <= 2; attempt++) {
      const summary = await run();
      expect(summary.code).toBe(1);
      const failed = failuresByPath(summary);
      expect(Object.keys(failed).sort()).toEqual(['a', 'b', 'c', 'c/in-c.txt', 'd', 'd/in-d.txt']);
      expect(failed.a).toContain('copy never removes a folder');
      expect(failed.c).toContain('use mode = "mirror", which replaces it');
      expect(failed.d).toContain('copy neither writes through a symlink nor replaces one with a folder');
      expect(failed['d/in-d.txt']).toContain('the destination\'s "d" is not a folder');
      expect(await describeTree(out)).toEqual({ ...before, e: (await describeTree(src)).e });
    }
    expect(await readdir(elsewhere)).toEqual(['precious.txt']);
    expect(await readFile(join(elsewhere, 'precious.txt'), 'utf8')).toBe('not the job’s business');
    expect(await auditedDeletions()).toEqual([]);
  });
});
