import { type FilesystemSync, installFilesystemSync } from '@orbit/engine/transfer/filesystem-sync';
import { AT_FDCWD, LIBC_PATHS, type Libc, openLibc } from './libc-calls.ts';

/** Deno's FFI surface, the part used here (the Star is type-checked without Deno's types). */
interface DenoFfi {
  dlopen(path: string, symbols: typeof SYMBOLS): { symbols: SyncSymbols; close(): void };
}

interface SyncSymbols {
  syncfs(fd: number): Promise<number>;
}

const SYMBOLS = {
  // Off the event loop: a filesystem sync waits for the disk.
  syncfs: { parameters: ['i32'], result: 'i32', nonblocking: true },
} as const;

let installed = false;

/**
 * Installs syncfs(2) through libc as the engine's filesystem sync, for the CLI's batches of small
 * files (`SyncBatch`). libc is opened at the first batch, not at start-up; where it cannot be had
 * (not Deno, not Linux, no libc), or a call fails, the engine syncs file by file as before.
 */
export function installLibcFilesystemSync(): void {
  if (installed) return;
  installed = true;
  let calls: { libc: Libc; syncfs: SyncSymbols['syncfs'] } | null | undefined;
  const sync: FilesystemSync = async (folders) => {
    calls ??= load();
    if (calls === null) return false;
    const { libc, syncfs } = calls;
    const results = await Promise.all(
      folders.map(async (folder) => {
        let fd: number;
        try {
          fd = libc.openDirectory(AT_FDCWD, folder);
        } catch {
          return false;
        }
        try {
          return (await syncfs(fd)) === 0;
        } finally {
          libc.close(fd);
        }
      }),
    );
    return results.every(Boolean);
  };
  installFilesystemSync(sync);
}

function load(): { libc: Libc; syncfs: SyncSymbols['syncfs'] } | null {
  const opened = openLibc();
  if (!('libc' in opened)) return null;
  const deno = Reflect.get(globalThis, 'Deno') as DenoFfi | undefined;
  if (typeof deno?.dlopen !== 'function') return null;
  for (const path of LIBC_PATHS) {
    try {
      return { libc: opened.libc, syncfs: deno.dlopen(path, SYMBOLS).symbols.syncfs };
    } catch {
      // Not at this path: the next one.
    }
  }
  return null;
}
