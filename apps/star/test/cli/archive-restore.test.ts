import { existsSync } from 'node:fs';
import { mkdir, open, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  makeTempDir,
  orbit,
  parseJson,
  type RunJson,
  sha256Of,
  TEST_CHUNKING,
  writeSeededFile,
} from './cli-harness.ts';

const MiB = 1024 * 1024;
const files: Record<string, number> = {
  'empty.txt': 0,
  'docs/a.txt': 50_000,
  'media/big.bin': 2 * MiB + 17,
  'media/deep/b.bin': 300_000,
};

let dir: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  dir = await makeTempDir('archive');
  let seed = 31;
  for (const [path, size] of Object.entries(files)) {
    await mkdir(join(dir.path, 'src', path, '..'), { recursive: true });
    await writeSeededFile(join(dir.path, 'src', path), size, seed++);
  }
  await symlink('media/big.bin', join(dir.path, 'src', 'latest'));
  await writeFile(
    join(dir.path, 'orbit.manifest.toml'),
    [
      '[defaults]',
      'audit_log = "audit.log"',
      'compression = "zstd"',
      '',
      TEST_CHUNKING,
      '[[job]]',
      'name = "vault"',
      'mode = "archive"',
      'source = "src"',
      'destination = "vault"',
      '',
    ].join('\n'),
  );
});
afterEach(async () => {
  await dir.remove();
});

async function packFiles(): Promise<string[]> {
  const names = await readdir(join(dir.path, 'vault', 'packs'));
  return names
    .filter((name) => name.endsWith('.orbitpak'))
    .map((name) => join(dir.path, 'vault', 'packs', name));
}

describe('archive mode and orbit restore', () => {
  it('archives a tree, then restores it byte for byte with links and modes', async () => {
    const run = await orbit(['run', '--manifest', 'orbit.manifest.toml', '--json'], { cwd: dir.path });
    expect(run.code).toBe(0);
    expect(parseJson<RunJson>(run).status).toBe('succeeded');

    const list = await orbit(['restore', '--archive', 'vault', '--list'], { cwd: dir.path });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/vault\s+4 files/);

    const restore = await orbit(['restore', '--archive', 'vault', '--target', 'restored'], { cwd: dir.path });
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain('every chunk and file hash verified');
    for (const path of Object.keys(files)) {
      expect(await sha256Of(join(dir.path, 'restored', path))).toBe(
        await sha256Of(join(dir.path, 'src', path)),
      );
    }
    expect((await stat(join(dir.path, 'restored', 'latest'))).size).toBe(files['media/big.bin']);

    // A second archive run of an unchanged tree stores no new chunks.
    const again = await orbit(['run', '--manifest', 'orbit.manifest.toml', '--json'], { cwd: dir.path });
    const summary = parseJson<RunJson>(again);
    expect(summary.chunksWritten).toBe(0);
  });

  it('refuses to restore from a damaged pack and leaves no partial files', async () => {
    const run = await orbit(['run', '--manifest', 'orbit.manifest.toml'], { cwd: dir.path });
    expect(run.code).toBe(0);
    const [pack] = await packFiles();
    expect(pack).toBeDefined();
    const handle = await open(pack ?? '', 'r+');
    try {
      const { size } = await handle.stat();
      const middle = Math.floor(size / 2);
      const byte = Buffer.alloc(1);
      await handle.read(byte, 0, 1, middle);
      byte[0] = (byte[0] ?? 0) ^ 0xff;
      await handle.write(byte, 0, 1, middle);
    } finally {
      await handle.close();
    }
    const restore = await orbit(['restore', '--archive', 'vault', '--target', 'restored'], { cwd: dir.path });
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('.orbitpak');
    const leftovers = existsSync(join(dir.path, 'restored'))
      ? (await readdir(join(dir.path, 'restored'), { recursive: true })).filter((name) =>
          name.includes('partial'),
        )
      : [];
    expect(leftovers).toEqual([]);
  });
});
