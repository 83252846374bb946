import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DataSyncable, SyncBatch } from './sync-batch.ts';
import { makeTempDir } from './transfer-test-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
const handles: FileHandle[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('sync-batch'));
});
afterEach(async () => {
  for (const handle of handles.splice(0)) await handle.close().catch(() => undefined);
  await cleanup();
});

/** A real temp file whose fdatasync calls are recorded in `started`. */
async function tempFile(name: string, started: string[]): Promise<{ syncData(): Promise<void> }> {
  const handle = await open(join(dir, name), 'w');
  handles.push(handle);
  await handle.write(`data of ${name}`);
  return {
    syncData: () => {
      started.push(name);
      return handle.datasync();
    },
  };
}

describe('SyncBatch', () => {
  it('starts no sync until the files of the current turn have all arrived, then all of them', async () => {
    const started: string[] = [];
    const files = await Promise.all(['a', 'b', 'c'].map((name) => tempFile(name, started)));
    const batch = new SyncBatch(32);
    const first = batch.sync(files[0] as { syncData(): Promise<void> });
    await Promise.resolve();
    expect(started).toEqual([]);
    const rest = files.slice(1).map((file) => batch.sync(file));
    await Promise.all([first, ...rest]);
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('starts a full batch at once and the next one on its own', async () => {
    const started: string[] = [];
    const files = await Promise.all(['a', 'b', 'c'].map((name) => tempFile(name, started)));
    const batch = new SyncBatch(2);
    const syncs = files.map((file) => batch.sync(file));
    expect(started).toEqual(['a', 'b']);
    await Promise.all(syncs);
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('fails only the file whose sync failed', async () => {
    const started: string[] = [];
    const good = await tempFile('good', started);
    const closed = await tempFile('closed', started);
    await handles[1]?.close();
    const batch = new SyncBatch(32);
    const results = await Promise.allSettled([batch.sync(good), batch.sync(closed)]);
    expect(results[0]?.status).toBe('fulfilled');
    expect(results[1]?.status).toBe('rejected');
  });

  it('makes a batch of two or more durable with one filesystem sync of their folders', async () => {
    const started: string[] = [];
    const files = await Promise.all(['a', 'b', 'c'].map((name) => tempFile(name, started)));
    const synced: string[][] = [];
    const batch = new SyncBatch(32, async (folders) => {
      synced.push([...folders]);
      return true;
    });
    await Promise.all([
      batch.sync(files[0] as DataSyncable, dir),
      batch.sync(files[1] as DataSyncable, join(dir, 'sub')),
      batch.sync(files[2] as DataSyncable, dir),
    ]);
    expect(synced).toEqual([[dir, join(dir, 'sub')]]);
    expect(started).toEqual([]);
    // One file alone is synced by itself: a whole filesystem's flush buys it nothing.
    await batch.sync(files[0] as DataSyncable, dir);
    expect(synced).toHaveLength(1);
    expect(started).toEqual(['a']);
  });

  it('syncs each file when the filesystem sync cannot, or a file has no folder', async () => {
    const started: string[] = [];
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const [a, b, c, d, e, f] = (await Promise.all(
      names.map((name) => tempFile(name, started)),
    )) as DataSyncable[];
    const refusing = new SyncBatch(32, async () => false);
    await Promise.all([refusing.sync(a as DataSyncable, dir), refusing.sync(b as DataSyncable, dir)]);
    expect(started).toEqual(['a', 'b']);
    const failing = new SyncBatch(32, async () => {
      throw new Error('EIO');
    });
    await Promise.all([failing.sync(c as DataSyncable, dir), failing.sync(d as DataSyncable, dir)]);
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    let asked = 0;
    const folderless = new SyncBatch(32, async () => {
      asked++;
      return true;
    });
    await Promise.all([folderless.sync(e as DataSyncable, dir), folderless.sync(f as DataSyncable)]);
    expect(asked).toBe(0);
    expect(started).toEqual(names);
  });
});
