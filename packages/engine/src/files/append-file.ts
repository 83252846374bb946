import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { OrbitError } from '../errors.ts';
import { isErrno } from '../transfer/atomic-file.ts';

/**
 * Opens a journal, log or index of Orbit's own for appending, creating it if needed — never through
 * a symbolic link at its name. `open(path, 'a')` follows one, so a link planted beside a store's
 * index (a destination folder is shared with other writers) would have Orbit append to whatever it
 * points at, outside the allow-list of a Star.
 */
export async function openForAppend(path: string, mode = 0o666): Promise<FileHandle> {
  try {
    return await open(
      path,
      constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW,
      mode,
    );
  } catch (error) {
    if (!isErrno(error, 'ELOOP')) throw error;
    throw new OrbitError('IO', `${path} is a symbolic link: Orbit appends only to a file of its own there`, {
      path,
      hint: 'remove the link (and check who put it there); Orbit creates the file again',
      cause: error,
    });
  }
}
