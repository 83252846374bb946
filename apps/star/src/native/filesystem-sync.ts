import { lstatSync } from 'node:fs';
import {
  type BlockingFilesystemSync,
  type FilesystemSync,
  installFilesystemSync,
} from '@orbit/engine/transfer/filesystem-sync';
import { AT_FDCWD, LIBC_PATHS, type Libc, openLibc } from './libc-calls.ts';

/** Deno's FFI surface, the part used here (the Star is type-checked without Deno's types). */
interface DenoFfi {
  dlopen<S>(path: string, symbols: S): { symbols: Record<string, (fd: number) => number | Promise<number>> };
}

const ASYNC_SYMBOLS = {
  // Off the event loop: a filesystem sync waits for the disk.
  syncfs: { parameters: ['i32'], result: 'i32', nonblocking: true },
} as const;

const BLOCKING_SYMBOLS = {
  // For a worker thread, which has nothing else to do meanwhile.
  syncfs: { parameters: ['i32'], result: 'i32' },
} as const;

interface Loaded<R> {
  readonly libc: Libc;
  readonly syncfs: (fd: number) => R;
}

let installed = false;

/**
 * Installs syncfs(2) through libc as the engine's filesystem sync, for the CLI's batches of small
 * files (`SyncBatch`, and the small-file worker through `blockingFilesystemSync` below). libc is
 * opened at the first batch, not at start-up; where it cannot be had (not Deno, not Linux, no
 * libc), or a call fails, the engine syncs file by file as before.
 */
export function installLibcFilesystemSync(): void {
  if (installed) return;
  installed = true;
  let calls: Loaded<Promise<number>> | null | undefined;
  const sync: FilesystemSync = async (folders) => {
    calls ??= load<Promise<number>>(ASYNC_SYMBOLS);
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
  installFilesystemSync(sync, new URL(import.meta.url));
}

let blocking: Loaded<number> | null | undefined;

/** The same sync, blocking the calling thread (a worker's): see `installLibcFilesystemSync`. */
export const blockingFilesystemSync: BlockingFilesystemSync = (folders) => {
  blocking ??= load<number>(BLOCKING_SYMBOLS);
  if (blocking === null) return false;
  const { libc, syncfs } = blocking;
  return onePerFilesystem(folders).every((folder) => {
    const fd = openFolder(libc, folder);
    if (fd === undefined) return false;
    try {
      return syncfs(fd) === 0;
    } finally {
      libc.close(fd);
    }
  });
};

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

function load<R>(symbols: typeof ASYNC_SYMBOLS | typeof BLOCKING_SYMBOLS): Loaded<R> | null {
  const opened = openLibc();
  if (!('libc' in opened)) return null;
  const deno = Reflect.get(globalThis, 'Deno') as DenoFfi | undefined;
  if (typeof deno?.dlopen !== 'function') return null;
  for (const path of LIBC_PATHS) {
    try {
      const syncfs = deno.dlopen(path, symbols).symbols.syncfs as (fd: number) => R;
      return { libc: opened.libc, syncfs };
    } catch {
      // Not at this path: the next one.
    }
  }
  return null;
}
