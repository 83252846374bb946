import { lstatSync } from 'node:fs';
import { type FilesystemSync, installFilesystemSync } from '@orbit/engine/transfer/filesystem-sync';
import { AT_FDCWD, LIBC_PATHS, type Libc, openLibc } from './libc-calls.ts';

/** Deno's FFI surface, the part used here (the Star is type-checked without Deno's types). */
interface DenoFfi {
  dlopen<S>(path: string, symbols: S): { symbols: Record<string, (fd: number) => number | Promise<number>> };
}

const SYMBOLS = {
  // Off the calling thread: a filesystem sync waits for the disk, and the thread (the event loop,
  // or the small-file worker writing its next batch meanwhile) has other work.
  syncfs: { parameters: ['i32'], result: 'i32', nonblocking: true },
} as const;

interface Loaded {
  readonly libc: Libc;
  readonly syncfs: (fd: number) => Promise<number>;
}

let calls: Loaded | null | undefined;

/**
 * syncfs(2) through libc, one call per filesystem of `folders`: the CLI's filesystem sync for
 * batches of small files (`SyncBatch`, and the small-file worker, which imports this module).
 * libc is opened at the first batch, not at start-up; where it cannot be had (not Deno, not
 * Linux, no libc), or a call fails, this resolves false and the engine syncs file by file.
 */
export const syncFilesystems: FilesystemSync = async (folders) => {
  calls ??= load();
  if (calls === null) return false;
  const { libc, syncfs } = calls;
  const results = await Promise.all(
    onePerFilesystem(folders).map(async (folder) => {
      const fd = openFolder(libc, folder);
      if (fd === undefined) return false;
      try {
        return (await syncfs(fd)) === 0;
      } finally {
        libc.close(fd);
      }
    }),
  );
  return results.every(Boolean);
};

/** Installs `syncFilesystems` as the engine's filesystem sync, and this module for its workers. */
export function installLibcFilesystemSync(): void {
  installFilesystemSync(syncFilesystems, new URL(import.meta.url));
}

/**
 * syncfs flushes a whole filesystem: one folder of each is enough. A folder that cannot be stat'ed,
 * or is a symlink (whose own device is not its target's), is kept: opening it refuses a link.
 */
function onePerFilesystem(folders: readonly string[]): string[] {
  if (folders.length < 2) return [...folders];
  const devices = new Set<number>();
  const kept: string[] = [];
  for (const folder of folders) {
    let device: number | undefined;
    try {
      const info = lstatSync(folder);
      device = info.isDirectory() ? info.dev : undefined;
    } catch {
      device = undefined;
    }
    if (device !== undefined && devices.has(device)) continue;
    if (device !== undefined) devices.add(device);
    kept.push(folder);
  }
  return kept;
}

function openFolder(libc: Libc, folder: string): number | undefined {
  try {
    return libc.openDirectory(AT_FDCWD, folder);
  } catch {
    return undefined;
  }
}

function load(): Loaded | null {
  const opened = openLibc();
  if (!('libc' in opened)) return null;
  const deno = Reflect.get(globalThis, 'Deno') as DenoFfi | undefined;
  if (typeof deno?.dlopen !== 'function') return null;
  for (const path of LIBC_PATHS) {
    try {
      const syncfs = deno.dlopen(path, SYMBOLS).symbols.syncfs as (fd: number) => Promise<number>;
      return { libc: opened.libc, syncfs };
    } catch {
      // Not at this path: the next one.
    }
  }
  return null;
}
