import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partialPathFor } from '@orbit/engine/transfer/atomic-file';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ReceiverJournal } from '../data-plane/receiver-journal.ts';
import { createPathJail } from '../security/path-jail.ts';
import { startStateSweeps } from './state-sweeps.ts';

const DAY = 24 * 60 * 60_000;
let base: string;
let root: string;
const lines: string[] = [];

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'orbit-state-sweeps-'));
  root = join(base, 'data');
  await mkdir(root);
  lines.length = 0;
});
afterEach(() => rm(base, { recursive: true, force: true }));

async function start(now: number) {
  return startStateSweeps({
    stateDir: join(base, 'state'),
    jail: createPathJail([{ path: root, access: 'rw' }]),
    maxAgeMs: 7 * DAY,
    log: (line) => lines.push(line),
    now: () => now,
  });
}

it('sweeps at start what is old enough, and says nothing when nothing is', async () => {
  const target = join(root, 'big.bin');
  const temp = partialPathFor(target);
  await writeFile(temp, 'half');
  const journal = await ReceiverJournal.open(join(base, 'state'));
  await journal.begin({ target, temp, size: 8, mtimeMs: 1, hash: '', algorithm: 'blake3' });

  // A day later nothing is old enough: the sweep does not even load.
  (await start(Date.now() + DAY)).stop();
  expect(lines).toEqual([]);
  expect(await readFile(temp, 'utf8')).toBe('half');

  // Ten days later the abandoned receive goes, partial file and journal.
  const later = new Date(Date.now() - 10 * DAY);
  const [name = ''] = await readdir(join(base, 'state', 'data-plane'));
  await utimes(join(base, 'state', 'data-plane', name), later, later);
  (await start(Date.now())).stop();
  expect(lines).toEqual([
    `removed the journal of an interrupted receive of ${target} (untouched for 10 days) and its partial file ${temp}`,
  ]);
  await expect(readFile(temp)).rejects.toMatchObject({ code: 'ENOENT' });
});
