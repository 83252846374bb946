import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IncomingFileRecord, ReceiverJournal } from './receiver-journal.ts';

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'orbit-receiver-journal-'));
});
afterEach(() => rm(stateDir, { recursive: true, force: true }));

const record: IncomingFileRecord = {
  target: '/srv/dest/a.bin',
  temp: '/srv/dest/.a.bin.orbit-partial',
  size: 300,
  mtimeMs: 1_700_000_000_123.5,
  hash: 'ab'.repeat(32),
  algorithm: 'blake3',
};
const chunk = (offset: number) => ({ offset, length: 100, hash: `${offset}`.padStart(64, '0') });

async function journalFile(): Promise<string> {
  const [name] = await readdir(join(stateDir, 'data-plane'));
  if (name === undefined) throw new Error('no journal file');
  return join(stateDir, 'data-plane', name);
}

describe('ReceiverJournal', () => {
  it('records a file and its checkpoints, and forgets it when finished', async () => {
    const journal = await ReceiverJournal.open(stateDir);
    expect(await journal.load(record.target)).toBeUndefined();
    await journal.begin(record);
    await journal.checkpoint(record.target, [chunk(0)]);
    await journal.checkpoint(record.target, [chunk(100), chunk(200)]);
    expect(await journal.load(record.target)).toEqual({
      ...record,
      chunks: [chunk(0), chunk(100), chunk(200)],
    });
    expect(await journal.load('/srv/dest/b.bin')).toBeUndefined();
    await journal.finish(record.target);
    expect(await journal.load(record.target)).toBeUndefined();
  });

  it('trusts nothing after a torn or edited line', async () => {
    const journal = await ReceiverJournal.open(stateDir);
    await journal.begin(record);
    await journal.checkpoint(record.target, [chunk(0)]);
    await appendFile(
      await journalFile(),
      '0123456789abcdef {"t":"chunks","chunks":[[100,100,"ff"]]}\n{"t":"chu',
    );
    expect((await journal.load(record.target))?.chunks).toEqual([chunk(0)]);
  });

  it('starts over when begin is called again', async () => {
    const journal = await ReceiverJournal.open(stateDir);
    await journal.begin(record);
    await journal.checkpoint(record.target, [chunk(0)]);
    await journal.begin({ ...record, size: 100 });
    expect(await journal.load(record.target)).toEqual({ ...record, size: 100, chunks: [] });
  });
});
