import { lstat, opendir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate } from 'node:timers';
import { OrbitError } from '../errors.ts';
import { denoRuntime } from '../runtime/deno-runtime.ts';
import { toFsError } from './fs-error.ts';
import { createPathFilter } from './path-filter.ts';
import { lstatPath, lstatPathSync, type PathKind, type PathStat } from './path-stat.ts';

export type ScanEntryKind = PathKind;

const deno = denoRuntime();

/**
 * Under Deno the walk lists and lstats synchronously, so it and a consumer whose work also
 * settles at once (a re-sync of unchanged files) would run as one unbroken chain of microtasks:
 * no timer, signal or worker message in between. Every this many entries it lets the event loop
 * turn (setImmediate, a few µs; setTimeout(0) is clamped to milliseconds there), so a progress
 * line keeps moving and Ctrl-C stops a long re-sync at once.
 */
const ENTRIES_PER_TURN = 256;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface ScanEntry {
  /** Relative to the scanned root, `/` separators, never empty. */
  readonly path: string;
  readonly kind: ScanEntryKind;
  /** Bytes for files, the link text's length for symlinks, 0 for directories and special files. */
  readonly size: number;
  readonly mtimeMs: number;
  /** Permission bits (`mode & 0o7777`); the type is in `kind`. */
  readonly mode: number;
  /** Symlinks only: the target exactly as stored, never resolved or followed. */
  readonly linkTarget?: string;
  /** Files with several names: equal for the hard links to one file (`dev:ino`). */
  readonly linkKey?: string;
  /** Files with holes, written with holes again. */
  readonly sparse?: boolean;
  /** Numeric owner, where the platform has one (kept at the destination when running as root). */
  readonly owner?: { readonly uid: number; readonly gid: number };
}

/** A path the walk could not read; the walk skips it and goes on. */
export interface ScanFailure {
  readonly path: string;
  readonly error: OrbitError;
}

export interface ScanOptions {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly signal?: AbortSignal;
  /** Extra exclusion (e.g. the job's own journal); `true` skips a file or prunes a directory. */
  readonly ignore?: (path: string) => boolean;
  /**
   * Receives each unreadable directory or entry (permission denied, removed mid-walk); the walk
   * continues. Without it the first such failure is thrown, so nothing is skipped silently.
   */
  readonly onError?: (failure: ScanFailure) => void;
  /**
   * Walk only this folder below `root` (relative, not yielded itself); paths stay relative to
   * `root` so include/exclude read them as in a walk from the top. Nothing when it is excluded.
   */
  readonly from?: string;
}

interface DirectoryFrame {
  readonly path: string;
  readonly names: readonly string[];
  next: number;
}

/**
 * Walks `root` depth first, yielding each directory before its contents and the names within a
 * directory in code-unit order, so two walks of the same tree agree. Symlinks are reported, never
 * followed; fifos, sockets and devices come out as `special` for the caller to report and skip.
 * A directory that cannot be listed is still yielded, then reported through `onError`.
 */
export async function* scanTree(root: string, options: ScanOptions = {}): AsyncGenerator<ScanEntry> {
  const filter = createPathFilter(options.include ?? [], options.exclude ?? []);
  const from = options.from ?? '';
  if (from !== '' && filter.excludesDirectory(from)) return;
  const start = join(root, from);
  const rootStats = await lstat(start).catch((error: unknown) => {
    throw toFsError(error, start, 'scan the source');
  });
  if (!rootStats.isDirectory()) {
    throw new OrbitError('INVALID_ARGUMENT', 'the scan root is not a directory', {
      path: start,
      hint: 'point the job at the directory that contains the files',
    });
  }
  const fail = (path: string, error: OrbitError): void => {
    if (!options.onError) throw error;
    options.onError({ path, error });
  };
  const stack: DirectoryFrame[] = [];
  const rootFrame = await readDirectory(start, from, fail);
  if (rootFrame) stack.push(rootFrame);

  let untilTurn = ENTRIES_PER_TURN;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as DirectoryFrame;
    const name = frame.names[frame.next++];
    if (name === undefined) {
      stack.pop();
      continue;
    }
    if (deno && --untilTurn === 0) {
      untilTurn = ENTRIES_PER_TURN;
      await nextTurn();
    }
    options.signal?.throwIfAborted();
    const path = frame.path === '' ? name : `${frame.path}/${name}`;
    if (options.ignore?.(path)) continue;
    const absolute = join(root, path);
    let stats: PathStat;
    try {
      stats = lstatPathSync ? lstatPathSync(absolute) : await lstatPath(absolute);
    } catch (error) {
      fail(path, toFsError(error, absolute, 'read file status'));
      continue;
    }
    if (stats.kind === 'dir') {
      if (filter.excludesDirectory(path)) continue;
      yield entryFromStat(path, 'dir', stats);
      const child = await readDirectory(absolute, path, fail);
      if (child) stack.push(child);
      continue;
    }
    if (!filter.matchesFile(path)) continue;
    if (stats.kind === 'symlink') {
      try {
        yield { ...entryFromStat(path, 'symlink', stats), linkTarget: await readlink(absolute) };
      } catch (error) {
        fail(path, toFsError(error, absolute, 'read symbolic link'));
      }
      continue;
    }
    yield entryFromStat(path, stats.kind, stats);
  }
}

async function readDirectory(
  absolute: string,
  path: string,
  fail: (path: string, error: OrbitError) => void,
): Promise<DirectoryFrame | undefined> {
  const names: string[] = [];
  try {
    // Under Deno one call lists the folder; node:fs's directory handle costs an op per entry.
    if (deno) for (const entry of deno.readDirSync(absolute)) names.push(entry.name);
    else {
      const directory = await opendir(absolute);
      for await (const entry of directory) names.push(entry.name);
    }
  } catch (error) {
    fail(path, toFsError(error, absolute, 'list directory'));
    return undefined;
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { path, names, next: 0 };
}

/** The scan entry of a path from its status (kind given apart: a symlink is yielded with its text). */
export function entryFromStat(path: string, kind: ScanEntryKind, stats: PathStat): ScanEntry {
  const sized = kind === 'file' || kind === 'symlink';
  return {
    path,
    kind,
    size: sized ? stats.size : 0,
    mtimeMs: stats.mtimeMs,
    mode: stats.mode,
    ...(stats.linkKey === undefined ? {} : { linkKey: stats.linkKey }),
    ...(stats.sparse ? { sparse: true } : {}),
    ...(stats.uid === undefined || stats.gid === undefined
      ? {}
      : { owner: { uid: stats.uid, gid: stats.gid } }),
  };
}
