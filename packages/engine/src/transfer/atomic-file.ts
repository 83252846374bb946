import { constants } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

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

/** Writes `data` to a temp file beside `target`, fsyncs it and renames it over `target`. */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: { durable?: boolean } = {},
): Promise<void> {
  const temp = partialPathFor(target);
  const handle = await open(temp, 'w', 0o644);
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
