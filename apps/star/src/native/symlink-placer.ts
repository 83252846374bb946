import { posix } from 'node:path';
import { OrbitError } from '@orbit/engine/errors';
import { PARTIAL_SUFFIX } from '@orbit/engine/transfer/atomic-file';
import { AT_FDCWD, type Libc, LibcError, openLibc } from './libc-calls.ts';

/** One symlink to place below a job's destination. */
export interface SymlinkPlacement {
  /** The destination's real path, as the path jail resolved it. */
  readonly rootReal: string;
  /** Folders from the destination down to the link's parent; each must be a folder, not a link. */
  readonly folders: readonly string[];
  readonly name: string;
  /** Copied verbatim, as `rsync -a` does: where it points is data, never followed here. */
  readonly target: string;
  readonly mtimeMs: number;
  /** Owner to keep (uid, gid), when this Star may (it runs as root); else undefined. */
  readonly owner?: { readonly uid: number; readonly gid: number } | undefined;
}

/**
 * Places a symlink atomically (a temp name in the same folder, renamed over the target) without
 * following anything: not the link, not a folder on the way. A file in the way is replaced; a
 * folder in the way is an error. Returns false when the same link was there already.
 */
export interface SymlinkPlacer {
  place(placement: SymlinkPlacement): boolean | Promise<boolean>;
}

export type SymlinkSupport = { readonly placer: SymlinkPlacer } | { readonly unavailable: string };

let support: SymlinkSupport | undefined;

/**
 * The placer for this process: libc through Deno's FFI (Deno's own symlink call needs unscoped
 * permissions), or why there is none (not Linux, no libc found, not running under Deno).
 */
export function symlinkSupport(): SymlinkSupport {
  if (support === undefined) {
    const opened = openLibc();
    support = 'libc' in opened ? { placer: libcSymlinkPlacer(opened.libc) } : opened;
  }
  return support;
}

export function libcSymlinkPlacer(libc: Libc): SymlinkPlacer {
  return {
    place(placement) {
      const dir = openParent(libc, placement);
      try {
        return placeIn(libc, dir, placement);
      } finally {
        libc.close(dir);
      }
    },
  };
}

/**
 * The link's folder, opened from the destination one component at a time with O_NOFOLLOW: a
 * folder swapped for a symlink since the jail looked fails here instead of being followed.
 */
function openParent(libc: Libc, placement: SymlinkPlacement): number {
  let dir: number;
  try {
    dir = libc.openDirectory(AT_FDCWD, placement.rootReal);
  } catch (error) {
    if (error instanceof LibcError && (error.code === 'ELOOP' || error.code === 'ENOTDIR'))
      throw placementError(placement, 'the destination became a symlink or a file after it was checked');
    throw error;
  }
  try {
    // The destination's own path was resolved by the jail; check the open landed exactly there.
    const opened = libc.readLink(AT_FDCWD, `/proc/self/fd/${dir}`);
    if (opened !== placement.rootReal)
      throw placementError(placement, `the destination moved to ${opened ?? '(gone)'} while it was opened`);
    for (const folder of placement.folders) {
      let next: number;
      try {
        next = libc.openDirectory(dir, folder);
      } catch (error) {
        if (error instanceof LibcError && (error.code === 'ELOOP' || error.code === 'ENOTDIR'))
          throw placementError(placement, `its folder ${folder} is a symlink or a file; not placed`);
        throw error;
      }
      libc.close(dir);
      dir = next;
    }
    return dir;
  } catch (error) {
    libc.close(dir);
    throw error;
  }
}

function placeIn(libc: Libc, dir: number, placement: SymlinkPlacement): boolean {
  const { name } = placement;
  let existing: string | undefined;
  try {
    existing = libc.readLink(dir, name);
  } catch (error) {
    if (!(error instanceof LibcError && error.code === 'EINVAL')) throw error;
    // It exists and is not a link: a file is replaced below, a folder is not.
    if (isDirectory(libc, dir, name)) {
      throw new OrbitError('IO', 'the destination has a directory where the source has a symbolic link', {
        path: posix.join(placement.rootReal, ...placement.folders, name),
        hint: 'move or remove that directory, then run the job again',
      });
    }
  }
  if (existing === placement.target) {
    // The same link: only its owner may be out of date (chown on an existing entry is idempotent).
    if (placement.owner) libc.chown(dir, name, placement.owner.uid, placement.owner.gid);
    return false;
  }
  const temp = `.${name}${PARTIAL_SUFFIX}`;
  try {
    libc.unlink(dir, temp);
  } catch (error) {
    if (!(error instanceof LibcError && error.code === 'ENOENT')) throw error;
  }
  libc.symlink(placement.target, dir, temp);
  try {
    libc.setMtime(dir, temp, placement.mtimeMs);
    if (placement.owner) libc.chown(dir, temp, placement.owner.uid, placement.owner.gid);
    libc.rename(dir, temp, name);
  } catch (error) {
    libc.unlink(dir, temp);
    throw error;
  }
  return true;
}

function isDirectory(libc: Libc, dir: number, name: string): boolean {
  try {
    libc.close(libc.openDirectory(dir, name));
    return true;
  } catch (error) {
    if (error instanceof LibcError && (error.code === 'ENOTDIR' || error.code === 'ELOOP')) return false;
    throw error;
  }
}

function placementError(placement: SymlinkPlacement, detail: string): OrbitError {
  return new OrbitError('IO', detail, {
    path: posix.join(placement.rootReal, ...placement.folders, placement.name),
    hint: 'something is changing the destination while the job runs; run it again once it is quiet',
  });
}
