import { mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partialPathFor } from '@orbit/engine/transfer/atomic-file';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveRunJournal } from '../archive/archive-run-journal.ts';
import { createPathJail } from '../security/path-jail.ts';
import { ReceiverJournal } from './receiver-journal.ts';
import { sweepStaleState } from './state-sweep.ts';

const DAY = 24 * 60 * 60_000;
const NOW = Date.now();

let base: string;
let stateDir: string;
let rw: string;
let ro: string;
let journal: ReceiverJournal;
const lines: string[] = [];

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'orbit-state-sweep-'));
  stateDir = join(base, 'state');
  rw = join(base, 'rw');
  ro = join(base, 'ro');
  await Promise.all([mkdir(rw), mkdir(ro)]);
  journal = await ReceiverJournal.open(stateDir);
  lines.length = 0;
});
afterEach(() => rm(base, { recursive: true, force: true }));

function sweep() {
  const jail = createPathJail([
    { path: rw, access: 'rw' },
    { path: ro, access: 'ro' },
  ]);
  return sweepStaleState({
    stateDir,
    jail,
    maxAgeMs: 7 * DAY,
    log: (line) => lines.push(line),
    now: () => NOW,
  });
}

/** A receive of `target` interrupted `ageMs` ago: its partial file and its journal, both that old. */
async function interrupted(target: string, ageMs: number): Promise<string> {
  const temp = partialPathFor(target);
  await writeFile(temp, 'half a file');
  await journal.begin({ target, temp, size: 22, mtimeMs: 1, hash: '', algorithm: 'blake3' });
  await journal.checkpoint(target, [{ offset: 0, length: 11, hash: '0'.repeat(64) }]);
  await age(await stateFileNaming(target), ageMs);
  return temp;
}

/** The state file whose text names `needle` (their names are hashes). */
async function stateFileNaming(needle: string): Promise<string> {
  for (const name of await stateFiles()) {
    const file = join(stateDir, 'data-plane', name);
    if ((await readFile(file, 'utf8')).includes(JSON.stringify(needle))) return file;
  }
  throw new Error(`no state file names ${needle}`);
}

async function age(file: string, ageMs: number): Promise<void> {
  const when = new Date(NOW - ageMs);
  await utimes(file, when, when);
}

async function stateFiles(): Promise<string[]> {
  return (await readdir(join(stateDir, 'data-plane'))).sort();
}

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(
    () => true,
    () => false,
  );
}

describe('the sweep of abandoned receives', () => {
  it('removes a partial file and its journal left longer than the limit, and keeps a recent one', async () => {
    const oldTemp = await interrupted(join(rw, 'old.bin'), 8 * DAY);
    const recentTemp = await interrupted(join(rw, 'recent.bin'), 6 * DAY);

    expect(await sweep()).toEqual({ temps: 1, journals: 1 });

    expect(await exists(oldTemp)).toBe(false);
    expect(await exists(recentTemp)).toBe(true);
    expect(await journal.load(join(rw, 'old.bin'))).toBeUndefined();
    expect((await journal.load(join(rw, 'recent.bin')))?.chunks).toHaveLength(1);
    expect(lines).toEqual([
      `removed the journal of an interrupted receive of ${join(rw, 'old.bin')} (untouched for 8 days) and its partial file ${oldTemp}`,
    ]);
    // Nothing else is old: a second sweep finds nothing.
    expect(await sweep()).toEqual({ temps: 0, journals: 0 });
  });

  it('never follows a link planted at the partial name, and leaves what it points at', async () => {
    const outside = join(base, 'precious.txt');
    await writeFile(outside, 'not Orbit’s');
    const temp = await interrupted(join(rw, 'linked.bin'), 30 * DAY);
    await rm(temp);
    await symlink(outside, temp);

    expect(await sweep()).toEqual({ temps: 0, journals: 1 });

    expect(await readFile(outside, 'utf8')).toBe('not Orbit’s');
    expect(lines).toEqual([
      `removed the journal of an interrupted receive of ${join(rw, 'linked.bin')} (untouched for 30 days); no partial file of its own is left at ${temp}`,
    ]);
  });

  it('keeps a partial file it may no longer write, and says so', async () => {
    const temp = await interrupted(join(ro, 'now-read-only.bin'), 9 * DAY);

    expect(await sweep()).toEqual({ temps: 0, journals: 1 });

    expect(await exists(temp)).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^removed the journal .* but kept ${temp.replaceAll('.', '\\.')}: .*remove that file by hand`,
      ),
    );
  });

  it('removes an old damaged journal and an old archive run journal, not a fresh one', async () => {
    await ArchiveRunJournal.start(stateDir, 'job-old', {
      destinationPath: rw,
      algorithm: 'blake3',
      packSize: 0,
    });
    await ArchiveRunJournal.start(stateDir, 'job-new', {
      destinationPath: rw,
      algorithm: 'blake3',
      packSize: 0,
    });
    const oldArchive = await stateFileNaming('job-old');
    const damaged = join(stateDir, 'data-plane', 'damaged.jsonl');
    await writeFile(damaged, 'not a checked line\n');
    await Promise.all([age(oldArchive, 8 * DAY), age(damaged, 8 * DAY)]);
    const kept = (await stateFiles()).filter(
      (name) => !oldArchive.endsWith(name) && name !== 'damaged.jsonl',
    );

    expect(await sweep()).toEqual({ temps: 0, journals: 2 });

    expect(await stateFiles()).toEqual(kept);
    expect(await ArchiveRunJournal.load(stateDir, 'job-new')).toBeDefined();
    expect(lines.sort()).toEqual([
      expect.stringMatching(/^removed a damaged receive journal untouched for 8 days/),
      expect.stringMatching(/^removed an archive run journal untouched for 8 days/),
    ]);
  });

  it('takes a resumed journal as fresh: a resume touches it', async () => {
    const target = join(rw, 'resumed.bin');
    await interrupted(target, 8 * DAY);
    await journal.touch(target);

    expect(await sweep()).toEqual({ temps: 0, journals: 0 });
  });
});
