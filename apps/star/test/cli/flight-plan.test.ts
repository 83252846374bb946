import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, orbit, writeSeededFile } from './cli-harness.ts';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  dir = await makeTempDir('flightplan');
  await mkdir(join(dir.path, 'src', 'raw'), { recursive: true });
  await writeSeededFile(join(dir.path, 'src', 'raw', 'scan.bin'), 700_000, 41);
  await writeSeededFile(join(dir.path, 'src', 'notes.txt'), 3_000, 42);
  await writeSeededFile(join(dir.path, 'src', 'skip.tmp'), 100, 43);
});
afterEach(async () => {
  await dir.remove();
});

describe('orbit manifest plan --source (flight plans)', () => {
  it('writes a flight plan and cargo manifests that verify and diff the tree', async () => {
    const plan = await orbit(
      [
        'manifest',
        'plan',
        '--source',
        'src',
        '--dest',
        'elsewhere',
        '--output',
        'fp',
        '--exclude',
        '*.tmp',
        '--checksum',
        'sha256',
        '--chunk-min',
        '16KiB',
        '--chunk-avg',
        '64KiB',
        '--chunk-max',
        '256KiB',
      ],
      { cwd: dir.path },
    );
    expect(plan.code).toBe(0);
    const flightPlan = JSON.parse(await readFile(join(dir.path, 'fp', 'job.flightplan.json'), 'utf8')) as {
      algorithm: string;
      chunking: { avgSize: number };
      totals: { files: number; bytes: number };
    };
    expect(flightPlan.algorithm).toBe('sha256');
    expect(flightPlan.chunking.avgSize).toBe(65536);
    expect(flightPlan.totals).toMatchObject({ files: 2, bytes: 703_000 });
    const cargo = JSON.parse(
      await readFile(join(dir.path, 'fp', 'cargo', 'raw', 'scan.bin.cargo.json'), 'utf8'),
    ) as {
      chunks: unknown[];
    };
    expect(cargo.chunks.length).toBeGreaterThan(3);

    const verify = await orbit(['manifest', 'verify', '--manifest-dir', 'fp', '--target', 'src'], {
      cwd: dir.path,
    });
    expect(verify.code).toBe(0);

    await writeFile(join(dir.path, 'src', 'notes.txt'), 'rewritten');
    await writeFile(join(dir.path, 'src', 'raw', 'added.bin'), 'new');
    const diff = await orbit(['manifest', 'diff', '--manifest-dir', 'fp', '--target', 'src'], {
      cwd: dir.path,
    });
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('+ raw/added.bin');
    expect(diff.stdout).toContain('~ notes.txt');
    expect(diff.stdout).not.toContain('skip.tmp');
  });

  it('explains bad chunk sizes and a mixed form as usage errors', async () => {
    const chunks = await orbit(
      ['manifest', 'plan', '--source', 'src', '--dest', 'd', '--output', 'fp', '--chunk-avg', '60000'],
      { cwd: dir.path },
    );
    expect(chunks.code).toBe(2);
    expect(chunks.stderr).toContain('avgSize must be a power of two');

    const mixed = await orbit(['manifest', 'plan', '--manifest', 'm.toml', '--source', 'src'], {
      cwd: dir.path,
    });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--manifest cannot be combined with --source/--dest/--output');
  });
});
