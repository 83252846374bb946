import { lstat } from 'node:fs/promises';
import { isErrno } from '@orbit/engine/transfer/atomic-file';
import { openStatx } from '../native/statx-call.ts';

/**
 * What says a file is still the one seen before: the same inode, size and mtime, and a change time
 * (ctime, which no caller can set: every write, truncate, utimes or chmod moves it) to the
 * nanosecond. Strings, so they survive JSON exactly.
 */
export interface FileIdentity {
  readonly dev: string;
  readonly ino: string;
  readonly size: number;
  readonly mtimeNs: string;
  readonly ctimeNs: string;
}

/** The identity of the entry at `path` (not followed), or undefined when there is none to read. */
export type IdentityProbe = (path: string) => Promise<FileIdentity | undefined>;

/**
 * Node's stat has nanosecond times; Deno's rounds ctime to the second, so under Deno the probe
 * calls statx through libc, and without libc (no --allow-ffi for it) there is no probe at all.
 */
export function openIdentityProbe(): { probe: IdentityProbe } | { unavailable: string } {
  if (!('Deno' in globalThis)) return { probe: nodeIdentity };
  const opened = openStatx();
  if ('unavailable' in opened) {
    return { unavailable: `Deno reports change times in whole seconds and ${opened.unavailable}` };
  }
  return {
    probe: async (path) => {
      const fields = opened.statx(path);
      if (fields === undefined) return undefined;
      return {
        dev: fields.dev,
        ino: String(fields.ino),
        size: Number(fields.size),
        mtimeNs: String(fields.mtimeNs),
        ctimeNs: String(fields.ctimeNs),
      };
    },
  };
}

async function nodeIdentity(path: string): Promise<FileIdentity | undefined> {
  try {
    const stat = await lstat(path, { bigint: true });
    return {
      dev: String(stat.dev),
      ino: String(stat.ino),
      size: Number(stat.size),
      mtimeNs: String(stat.mtimeNs),
      ctimeNs: String(stat.ctimeNs),
    };
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR', 'EACCES')) return undefined;
    throw error;
  }
}

/** The first field in which `now` differs from `then`, or undefined when they are the same file. */
export function identityChange(then: FileIdentity, now: FileIdentity): string | undefined {
  for (const key of ['dev', 'ino', 'size', 'mtimeNs', 'ctimeNs'] as const) {
    if (then[key] !== now[key]) return key;
  }
  return undefined;
}
