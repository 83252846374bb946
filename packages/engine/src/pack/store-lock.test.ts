import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeTempDir } from './archive-test-fixtures.ts';
import { acquireStoreLock } from './store-lock.ts';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('store-lock');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

it('takes over a lock naming this pid that this process does not hold: a previous life of the same pid', async () => {
  // A Star killed in a container comes back with the same pid after the container restarts.
  const previous = { pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' };
  await writeFile(join(dir, 'lock'), `${JSON.stringify(previous)}\n`);
  const lock = await acquireStoreLock(dir);
  expect(JSON.parse(await readFile(join(dir, 'lock'), 'utf8')).since).not.toBe(previous.since);
  // Held by this process now: another taker in it is refused, and may take it once released.
  await expect(acquireStoreLock(dir)).rejects.toThrow(`in use by process ${process.pid}`);
  await lock.release();
  await (await acquireStoreLock(dir)).release();
});
