import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrbitError } from '../errors.ts';
import { writePrivateFile } from './private-file.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orbit-private-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('writePrivateFile', () => {
  it('replaces the file whole, readable by its owner only, and leaves no temporary file', async () => {
    const file = join(dir, 'star.key');
    await writeFile(file, 'old', { mode: 0o644 });
    await writePrivateFile(file, 'new secret');
    expect(await readFile(file, 'utf8')).toBe('new secret');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['star.key']);
  });

  it('says which file it could not write and leaves nothing behind', async () => {
    const file = join(dir, 'missing-folder', 'star.toml');
    const failure = await writePrivateFile(file, 'x', {
      label: 'star.toml',
      hint: 'create the folder',
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OrbitError);
    expect(failure).toMatchObject({ location: { path: file }, hint: 'create the folder' });
    expect((failure as Error).message).toMatch(/^cannot write star\.toml: /);
    expect(await readdir(dir)).toEqual([]);
  });
});
