import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeTree } from '@orbit/engine/transfer/transfer-test-fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, orbit, parseJson, type RunJson } from './cli-harness.ts';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  dir = await makeTempDir('failures');
  await writeTree(dir.path, { 's1/a.txt': 'a', 's1/b.txt': 'b', 's2/c.txt': 'c', 's3/d.txt': 'd' });
  // A folder where the source has a file: that one file cannot be put in place, so job "first" fails.
  await mkdir(join(dir.path, 'out', 'first', 'a.txt', 'inner'), { recursive: true });
  await writeFile(join(dir.path, 'out', 'first', 'a.txt', 'inner', 'keep'), 'keep');
  await writeFile(
    join(dir.path, 'orbit.manifest.toml'),
    [
      '[defaults]',
      'audit_log = false',
      '',
      '[[job]]',
      'name = "first"',
      'source = "s1"',
      'destination = "out/first"',
      '',
      '[[job]]',
      'name = "second"',
      'source = "s2"',
      'destination = "out/second"',
      'depends_on = ["first"]',
      '',
      '[[job]]',
      'name = "third"',
      'source = "s3"',
      'destination = "out/third"',
      '',
    ].join('\n'),
  );
});
afterEach(async () => {
  await dir.remove();
});

describe('a run with a failing job', () => {
  it('names the failed file and its cause, skips the dependent with the reason and runs the rest', async () => {
    const json = await orbit(['run', '--manifest', 'orbit.manifest.toml', '--json'], { cwd: dir.path });
    expect(json.code).toBe(1);
    const summary = parseJson<RunJson>(json);
    expect(summary.status).toBe('failed');
    expect(summary.jobs.map((job) => [job.name, job.status])).toEqual([
      ['first', 'failed'],
      ['second', 'skipped'],
      ['third', 'succeeded'],
    ]);
    expect(summary.jobs.find((job) => job.name === 'second')?.reason).toBe('dependency "first" failed');
    expect(summary.failures).toContainEqual(
      expect.objectContaining({
        job: 'first',
        path: 'a.txt',
        message: expect.stringContaining('the destination has a folder here where the source has a file'),
      }),
    );

    const text = await orbit(['run', '--manifest', 'orbit.manifest.toml'], { cwd: dir.path });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('finished with failures');
    expect(text.stdout).toMatch(
      /✖ first: a\.txt: .*folder here where the source has a file: copy never removes a folder/,
    );
    expect(text.stdout).toContain('○ second: skipped — dependency "first" failed');
  });

  it('names a source an earlier job was meant to make but did not, once, and says how to name the key', async () => {
    await writeFile(
      join(dir.path, 'chain.toml'),
      [
        '[[job]]',
        'name = "backup"',
        'source = "s3"',
        'destination = "out/backup"',
        '',
        '[[job]]',
        'name = "reports"',
        'source = "out/backup/reports"',
        'destination = "out/reports"',
        'depends_on = ["backup"]',
        '',
      ].join('\n'),
    );
    const noKey = await orbit(
      ['run', '--manifest', 'chain.toml', '--audit-key-env', 'ORBIT_TEST_UNSET_KEY'],
      {
        cwd: dir.path,
      },
    );
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain(
      'or name another variable with --audit-key-env or audit_key_env in [defaults], or turn the log off with audit_log = false',
    );

    const run = await orbit(['run', '--manifest', 'chain.toml'], { cwd: dir.path });
    expect(run.code).toBe(1);
    const missing = join(dir.path, 'out/backup/reports');
    expect(run.stdout).toContain(`  ✖ reports: ${missing}: cannot scan the source`);
    expect(run.stdout).not.toContain(`${missing}: ${missing}`);
  });
});
