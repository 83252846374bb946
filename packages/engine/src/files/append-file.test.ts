import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openForAppend } from './append-file.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orbit-append-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

it('creates the file, then appends to it', async () => {
  const file = join(dir, 'journal.jsonl');
  for (const line of ['one\n', 'two\n']) {
    const handle = await openForAppend(file);
    await handle.write(line);
    await handle.close();
  }
  expect(await readFile(file, 'utf8')).toBe('one\ntwo\n');
});

it('refuses a symbolic link at the name and leaves what it points at alone', async () => {
  const elsewhere = join(dir, 'elsewhere.txt');
  await writeFile(elsewhere, 'not Orbit’s\n');
  const file = join(dir, 'index');
  await symlink(elsewhere, file);
  await expect(openForAppend(file)).rejects.toMatchObject({
    code: 'IO',
    message: `${file} is a symbolic link: Orbit appends only to a file of its own there`,
    hint: expect.stringMatching(/remove the link/),
  });
  expect(await readFile(elsewhere, 'utf8')).toBe('not Orbit’s\n');
});
