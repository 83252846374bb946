import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, orbit } from './cli-harness.ts';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  dir = await makeTempDir('usage');
});
afterEach(async () => {
  await dir.remove();
});

describe('orbit usage', () => {
  it('prints its version and a help that lists every command and the exit codes', async () => {
    const version = await orbit(['--version'], { cwd: dir.path });
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^orbit \d+\.\d+\.\d+\n$/);

    const help = await orbit(['--help'], { cwd: dir.path });
    expect(help.code).toBe(0);
    for (const command of [
      'run',
      'manifest plan',
      'manifest verify',
      'manifest diff',
      'restore',
      'audit verify',
    ]) {
      expect(help.stdout).toContain(`  ${command} `);
    }
    expect(help.stdout).toContain('130  interrupted');
  });

  it('answers --help for a command with its options', async () => {
    const help = await orbit(['manifest', 'plan', '--help'], { cwd: dir.path });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--format <FORMAT>');
    expect(help.stdout).toContain('--chunk-avg <BYTES>');
  });

  it('suggests the command or option that was probably meant, exiting 2', async () => {
    const command = await orbit(['manfest', 'plan'], { cwd: dir.path });
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "manfest"');
    expect(command.stderr).toContain('did you mean "manifest"?');

    const sub = await orbit(['manifest', 'verfy'], { cwd: dir.path });
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('did you mean "verify"?');

    const flag = await orbit(['run', '--manfest', 'x.toml'], { cwd: dir.path });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('did you mean "--manifest"?');
    expect(flag.stdout).toBe('');
  });

  it('rejects a broken manifest with file:line:column and moves nothing', async () => {
    await mkdir(join(dir.path, 'src'));
    await writeFile(join(dir.path, 'src', 'a.txt'), 'a');
    const manifest = join(dir.path, 'orbit.manifest.toml');
    await writeFile(
      manifest,
      ['[[job]]', 'name = "docs"', 'source = "src"', 'destinaton = "out"', ''].join('\n'),
    );
    const result = await orbit(['run', '--manifest', 'orbit.manifest.toml'], { cwd: dir.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`${manifest.replaceAll('/', '\\/')}:4:\\d+`));
    expect(result.stderr).toContain('destination');
    expect(existsSync(join(dir.path, 'out'))).toBe(false);
    expect(existsSync(join(dir.path, '.orbit'))).toBe(false);
  });

  it('reports a missing manifest as a usage error naming the path', async () => {
    const result = await orbit(['manifest', 'plan', '--manifest', 'nope.toml'], { cwd: dir.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(join(dir.path, 'nope.toml'));
  });
});
