import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncBatch } from './sync-batch.ts';
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
});
