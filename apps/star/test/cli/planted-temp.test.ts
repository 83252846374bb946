import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeTree, writeTree } from '@orbit/engine/transfer/transfer-test-fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, orbit, parseJson, type RunJson, seededBytes, TEST_CHUNKING } from './cli-harness.ts';

const PRECIOUS = 'not the job’s business';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  dir = await makeTempDir('planted');
});
afterEach(async () => {
  await dir.remove();
});

describe('orbit run where someone put symlinks at the temp names in the destination', () => {
  it('copies beside them: what they point to, or would create, stays as it was', async () => {
    // `small.txt` is one chunk (Deno's small-file path), `big.bin` many (the chunk pass).
    await writeTree(dir.path, {
      'src/small.txt': 'one chunk',
      'src/big.bin': seededBytes(600_000, 3),
      'elsewhere/small.txt': PRECIOUS,
    });
    await mkdir(join(dir.path, 'out'));
    const elsewhere = join(dir.path, 'elsewhere');
    await symlink(join(elsewhere, 'small.txt'), join(dir.path, 'out', '.small.txt.orbit-partial'));
    await symlink(join(elsewhere, 'created.bin'), join(dir.path, 'out', '.big.bin.orbit-partial'));
    await writeFile(
      join(dir.path, 'orbit.manifest.toml'),
      [
        '[defaults]',
        'audit_log = false',
        '',
        TEST_CHUNKING,
        '[[job]]',
        'name = "planted"',
        'source = "src"',
        'destination = "out"',
        '',
      ].join('\n'),
    );
    const result = await orbit(['run', '--manifest', 'orbit.manifest.toml', '--json'], { cwd: dir.path });
    const summary = parseJson<RunJson>(result);
    expect(summary.failures).toEqual([]);
    expect(result.code).toBe(0);
    expect(await describeTree(join(dir.path, 'out'))).toEqual(await describeTree(join(dir.path, 'src')));
    expect(await readdir(elsewhere)).toEqual(['small.txt']);
    expect(await readFile(join(elsewhere, 'small.txt'), 'utf8')).toBe(PRECIOUS);
  });
});
