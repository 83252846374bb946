import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  makeTempDir,
  orbit,
  parseJson,
  type RunJson,
  sha256Of,
  TEST_CHUNK_AVG,
  TEST_CHUNKING,
  writeSeededFile,
} from './cli-harness.ts';

const MiB = 1024 * 1024;

let dir: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  dir = await makeTempDir('story');
});
afterEach(async () => {
  await dir.remove();
});

/** Two jobs, `media` after `docs`, on a few MiB of seeded files. */
async function twoJobWorkspace(root: string): Promise<{ files: Record<string, number> }> {
  const files: Record<string, number> = {
    'docs/readme.txt': 2_000,
    'docs/guide/chapter-1.txt': 150_000,
    'docs/guide/big.pdf': 1 * MiB + 123,
    'media/clip.bin': 3 * MiB + 7,
    'media/photos/a.jpg': 400_000,
  };
  let seed = 1;
  for (const [path, size] of Object.entries(files)) {
    await mkdir(join(root, 'src', path, '..'), { recursive: true });
    await writeSeededFile(join(root, 'src', path), size, seed++);
  }
  const manifest = [
    '[defaults]',
    'audit_log = "audit.log"',
    '',
    TEST_CHUNKING,
    '[[job]]',
    'name = "docs"',
    'source = "src/docs"',
    'destination = "out/docs"',
    '',
    '[[job]]',
    'name = "media"',
    'source = "src/media"',
    'destination = "out/media"',
    'depends_on = ["docs"]',
    '',
  ].join('\n');
  await writeFile(join(root, 'orbit.manifest.toml'), manifest);
  return { files };
}

async function flipByte(path: string, offset: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, offset);
    byte[0] = (byte[0] ?? 0) ^ 0xff;
    await handle.write(byte, 0, 1, offset);
  } finally {
    await handle.close();
  }
}

describe('orbit run, plan, verify and diff on a two-job manifest', () => {
  it('plans both jobs with the dependency and groups, without moving data', async () => {
    await twoJobWorkspace(dir.path);
    const text = await orbit(['manifest', 'plan', '--manifest', 'orbit.manifest.toml'], { cwd: dir.path });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/1\. docs \(copy\)/);
    expect(text.stdout).toMatch(/2\. media \(copy\)/);
    expect(text.stdout).toContain('after: docs');
    expect(text.stdout).toContain('Parallel groups:');
    expect(text.stdout).toMatch(/1: docs\n\s+2: media/);
    expect(text.stdout).toContain('Estimate:');

    const json = await orbit(['manifest', 'plan', '--manifest', 'orbit.manifest.toml', '--format', 'json'], {
      cwd: dir.path,
    });
    const plan = parseJson<{ groups: string[][]; edges: { from: string; to: string }[] }>(json);
    expect(plan.groups).toEqual([['docs'], ['media']]);
    expect(plan.edges).toEqual([{ from: 'docs', to: 'media' }]);

    const dot = await orbit(['manifest', 'plan', '--manifest', 'orbit.manifest.toml', '--format', 'dot'], {
      cwd: dir.path,
    });
    expect(dot.stdout).toMatch(/^digraph starmap \{[\s\S]*"docs" -> "media";[\s\S]*\}\n$/);
    await expect(stat(join(dir.path, 'out'))).rejects.toThrow();
  });

  it('changes nothing on a dry run', async () => {
    await twoJobWorkspace(dir.path);
    const dry = await orbit(['run', '--manifest', 'orbit.manifest.toml', '--dry-run'], { cwd: dir.path });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Dry run .* succeeded/m);
    await expect(stat(join(dir.path, 'out'))).rejects.toThrow();
    await expect(stat(join(dir.path, 'audit.log'))).rejects.toThrow();
  });

  it('plans and dry-runs a job that reads what an earlier job makes before that folder exists', async () => {
    await twoJobWorkspace(dir.path);
    // The README's pattern: back up, then archive the backup.
    const manifest = await readFile(join(dir.path, 'orbit.manifest.toml'), 'utf8');
    await writeFile(
      join(dir.path, 'orbit.manifest.toml'),
      `${manifest}\n[[job]]\nname = "vault"\nsource = "out/media"\ndestination = "vault"\nmode = "archive"\ndepends_on = ["media"]\n`,
    );
    const plan = await orbit(['manifest', 'plan', '--manifest', 'orbit.manifest.toml'], { cwd: dir.path });
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain(
      'orbit: note: job "vault" reads what job "media" makes, which does not exist yet (left out of the estimate)',
    );
    expect(plan.stdout).toContain('vault: size unknown');

    const dry = await orbit(['run', '--manifest', 'orbit.manifest.toml', '--dry-run'], { cwd: dir.path });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Dry run .* succeeded/m);
    expect(dry.stdout).toMatch(
      /^✔ media: succeeded — 2 files \(2 to copy\), would write up to 3\.4 MiB, (\d+ ms|[\d.]+ s)$/m,
    );
    expect(dry.stdout).toContain('  5 files: 5 to copy, 0 to update, 0 unchanged, 0 to delete, 0 skipped\n');
    expect(dry.stdout).toContain('  would write up to 4.5 MiB (nothing was read)\n');
    expect(dry.stdout).toContain(
      `Notes:\n  vault: not previewed — its source ${join(dir.path, 'out/media')} does not exist yet: job "media" makes it, and a dry run moves nothing\n`,
    );
    await expect(stat(join(dir.path, 'out'))).rejects.toThrow();

    const run = await orbit(['run', '--manifest', 'orbit.manifest.toml', '--json'], { cwd: dir.path });
    expect(run.code).toBe(0);
    expect(parseJson<RunJson>(run).jobs.map((job) => [job.name, job.status])).toEqual([
      ['docs', 'succeeded'],
      ['media', 'succeeded'],
      ['vault', 'succeeded'],
    ]);
  });

  it('runs, reports bytes as JSON, then verify and diff catch what changed at the destination', async () => {
    const { files } = await twoJobWorkspace(dir.path);
    const totalBytes = Object.values(files).reduce((sum, size) => sum + size, 0);

    const run = await orbit(['run', '--manifest', 'orbit.manifest.toml', '--json'], { cwd: dir.path });
    const summary = parseJson<RunJson>(run);
    expect(run.code).toBe(0);
    expect(summary.status).toBe('succeeded');
    expect(summary.jobs.map((job) => [job.name, job.status])).toEqual([
      ['docs', 'succeeded'],
      ['media', 'succeeded'],
    ]);
    expect(summary.bytesRead).toBeGreaterThanOrEqual(totalBytes);
    expect(summary.bytesWritten).toBe(totalBytes);
    expect(summary.chunksWritten).toBeGreaterThan(Object.keys(files).length);
    for (const path of Object.keys(files)) {
      expect(await sha256Of(join(dir.path, 'out', path))).toBe(await sha256Of(join(dir.path, 'src', path)));
    }

    const manifestDir = join(dir.path, '.orbit', 'manifests', 'media');
    const verified = await orbit(['manifest', 'verify', '--manifest-dir', manifestDir], { cwd: dir.path });
    expect(verified.code).toBe(0);

    await flipByte(join(dir.path, 'out', 'media', 'clip.bin'), 2 * MiB);
    const corrupt = await orbit(['manifest', 'verify', '--manifest-dir', manifestDir], { cwd: dir.path });
    expect(corrupt.code).toBe(1);
    expect(corrupt.stdout).toMatch(/✖ clip\.bin: chunk \d+ \(offset \d+/);
    expect(corrupt.stdout).not.toContain('photos/a.jpg');

    await writeFile(join(dir.path, 'out', 'media', 'photos', 'new.jpg'), 'new');
    await rm(join(dir.path, 'out', 'media', 'photos', 'a.jpg'));
    const diff = await orbit(['manifest', 'diff', '--manifest-dir', manifestDir, '--target', 'out/media'], {
      cwd: dir.path,
    });
    expect(diff.code).toBe(1);
    expect(diff.stdout.split('\n')).toEqual(
      expect.arrayContaining(['+ photos/new.jpg', '- photos/a.jpg', '~ clip.bin']),
    );
  });

  it('re-sends about one chunk after a one-byte edit in a multi-chunk file', async () => {
    await twoJobWorkspace(dir.path);
    const first = await orbit(['run', '--manifest', 'orbit.manifest.toml', '--json'], { cwd: dir.path });
    expect(first.code).toBe(0);

    const clip = join(dir.path, 'src', 'media', 'clip.bin');
    await flipByte(clip, 1_500_000);
    const second = await orbit(['run', '--manifest', 'orbit.manifest.toml', '--json'], { cwd: dir.path });
    const summary = parseJson<RunJson>(second);
    expect(second.code).toBe(0);
    expect(summary.bytesWritten).toBeGreaterThan(0);
    expect(summary.bytesWritten).toBeLessThanOrEqual(2 * TEST_CHUNK_AVG * 2);
    expect(summary.chunksReused).toBeGreaterThan(10);
    expect(await sha256Of(join(dir.path, 'out', 'media', 'clip.bin'))).toBe(await sha256Of(clip));
    expect((await readFile(join(dir.path, 'audit.log'), 'utf8')).length).toBeGreaterThan(0);
  });
});
