import { constants } from 'node:fs';
import { type FileHandle, lstat, open, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OrbitError } from '../errors.ts';

/**
 * Files are written under `.<name>.orbit-partial` beside their target and renamed into place,
 * so a reader never sees a partial file and a crash never leaves one under the real name.
 * Scans of a destination hide these names.
 */
export const PARTIAL_SUFFIX = '.orbit-partial';

export function partialPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}${PARTIAL_SUFFIX}`);
}

export function isPartialPath(path: string): boolean {
  const name = basename(path);
  return name.startsWith('.') && name.endsWith(PARTIAL_SUFFIX);
}

/** fsync a directory so a rename inside it survives a crash; platforms that refuse it are skipped. */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch (error) {
    if (!isErrno(error, 'EISDIR', 'EINVAL', 'EPERM', 'EBADF')) throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * A temp file is only ever created new: O_EXCL fails on anything at its name, a symlink included,
 * so a link planted there can never lead the write elsewhere.
 */
const CREATE_NEW_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Creates `temp` empty and opens it read-write. What is left at that name — an earlier run's
 * temp file, or a symlink or other entry someone put there — is removed first (a link itself,
 * never what it points to); a folder there is an error naming it.
 */
export async function createTempFile(temp: string, mode: number): Promise<FileHandle> {
  try {
    return await open(temp, CREATE_NEW_FLAGS, mode);
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
  }
  if ((await lstat(temp)).isDirectory()) throw folderAtTempName(temp);
  await unlink(temp);
  // A second entry appearing meanwhile fails here (EEXIST) rather than being removed in a loop.
  return open(temp, CREATE_NEW_FLAGS, mode);
}

/**
 * Reopens an existing temp file (an interrupted run's, or a clone) read-write; undefined when the
 * name holds anything but a regular file of one name (a symlink, a hard link to some other file),
 * which is never taken over. O_NOFOLLOW alone does not do: Deno with scoped permissions resolves a
 * path's symlinks before it opens it, so the opened file is compared with the name's own lstat.
 */
export async function reopenTempFile(temp: string): Promise<FileHandle | undefined> {
  const handle = await open(temp, constants.O_RDWR | constants.O_NOFOLLOW);
  const [opened, named] = await Promise.all([handle.stat(), lstat(temp)]).catch(() => []);
  if (named?.isFile() && named.nlink === 1 && named.ino === opened?.ino && named.dev === opened.dev) {
    return handle;
  }
  await handle.close();
  return undefined;
}

/** The error for a folder standing at a temp file's name, which Orbit never removes. */
export function folderAtTempName(temp: string): OrbitError {
  return new OrbitError('IO', 'a folder stands where the temp file of this path goes', {
    path: temp,
    hint: 'move that folder out of the way (Orbit writes its temp file under that name), then run again',
  });
}

/** Writes `data` to a temp file beside `target`, fsyncs it and renames it over `target`. */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: { durable?: boolean } = {},
): Promise<void> {
  const temp = partialPathFor(target);
  const handle = await createTempFile(temp, 0o644);
  try {
    await handle.writeFile(data);
    if (options.durable !== false) await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, target);
  if (options.durable !== false) await fsyncDirectory(dirname(target));
}

export function isErrno(error: unknown, ...codes: string[]): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    codes.includes(error.code)
  );
}
