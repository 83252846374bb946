import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FilesystemSyncModule,
  filesystemSync,
  filesystemSyncWorkerModule,
} from '@orbit/engine/transfer/filesystem-sync';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { installLibcFilesystemSync, syncFilesystems } from './filesystem-sync.ts';

const underDenoOnLinux = 'Deno' in globalThis && process.platform === 'linux';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orbit-filesystem-sync-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

it.runIf(underDenoOnLinux)('syncs the filesystems of real folders, and says so', async () => {
  installLibcFilesystemSync();
  const sync = filesystemSync();
  expect(sync).toBeDefined();
  await writeFile(join(dir, 'a'), 'data');
  expect(await sync?.([dir, tmpdir()])).toBe(true);
});

it.runIf(underDenoOnLinux)('says it could not for a missing folder or a link to one', async () => {
  installLibcFilesystemSync();
  const sync = filesystemSync();
  await symlink(tmpdir(), join(dir, 'link'));
  expect(await sync?.([join(dir, 'missing')])).toBe(false);
  // A folder name that is a symlink is not followed: the batch's files are synced one by one.
  expect(await sync?.([dir, join(dir, 'link')])).toBe(false);
});

it.runIf(underDenoOnLinux)('gives workers a module with the same sync', async () => {
  installLibcFilesystemSync();
  const url = filesystemSyncWorkerModule();
  expect(url?.href).toBe(new URL('./filesystem-sync.ts', import.meta.url).href);
  const module = (await import(String(url))) as FilesystemSyncModule;
  expect(module.syncFilesystems).toBe(syncFilesystems);
  expect(filesystemSync()).toBe(syncFilesystems);
});
