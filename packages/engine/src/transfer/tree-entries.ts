import type { Stats } from 'node:fs';
import { chmod, lstat, lutimes, mkdir, readlink, rename, rm, symlink, utimes } from 'node:fs/promises';
import { OrbitError } from '../errors.ts';
import type { ScanEntry } from '../scan/scan-tree.ts';
import { isErrno, partialPathFor } from './atomic-file.ts';
import { sameMtime, utimesSeconds } from './file-sync.ts';

export async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return undefined;
    throw error;
  }
}

/** Creates the directory (its mode and mtime are set by `finishDirectory` once its contents are in). */
export async function ensureDirectory(target: string, entry: ScanEntry): Promise<'created' | 'exists'> {
  const existing = await lstatOrUndefined(target);
  if (existing?.isDirectory()) return 'exists';
  if (existing) {
    throw new OrbitError('IO', 'the destination has a file where the source has a directory', {
      path: target,
      hint: 'move or remove that file, then run the job again',
    });
  }
  await makeDirectory(target, entry);
  return 'created';
}

/** Makes the directory where nothing is: owner-writable while it fills, whatever the source mode. */
export async function makeDirectory(target: string, entry: ScanEntry): Promise<void> {
  // The real mode is applied by `finishDirectory` once its contents are in.
  await mkdir(target, { mode: (entry.mode | 0o700) & 0o7777 });
}

export async function finishDirectory(target: string, entry: ScanEntry): Promise<void> {
  const current = await lstat(target);
  if ((current.mode & 0o7777) !== entry.mode) await chmod(target, entry.mode);
  if (!sameMtime(current.mtimeMs, entry.mtimeMs))
    await utimes(target, new Date(), utimesSeconds(entry.mtimeMs));
}

/**
 * Copies a symlink as a link, never following it: created under the partial name and renamed
 * over the target. Returns false when the destination already had the same link.
 */
export async function syncSymlink(target: string, entry: ScanEntry): Promise<boolean> {
  const linkTarget = entry.linkTarget ?? '';
  const existing = await lstatOrUndefined(target);
  if (existing?.isSymbolicLink() && (await readlink(target)) === linkTarget) return false;
  if (existing?.isDirectory()) {
    throw new OrbitError('IO', 'the destination has a directory where the source has a symbolic link', {
      path: target,
      hint: 'move or remove that directory, then run the job again',
    });
  }
  const temp = partialPathFor(target);
  await rm(temp, { force: true });
  await symlink(linkTarget, temp);
  try {
    await lutimes(temp, new Date(), utimesSeconds(entry.mtimeMs));
  } catch (error) {
    // Some runtimes cannot set a link's own times; the link itself is what matters.
    if (!isErrno(error, 'ENOSYS', 'ENOTSUP', 'EOPNOTSUPP')) {
      await rm(temp, { force: true });
      throw error;
    }
  }
  await rename(temp, target);
  return true;
}
