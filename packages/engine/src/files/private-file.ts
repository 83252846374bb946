import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OrbitError } from '../errors.ts';
import { fsyncDirectory } from '../transfer/atomic-file.ts';

export interface PrivateFileOptions {
  /** What the error calls the file (`star.toml`); its path by default. */
  readonly label?: string;
  readonly hint?: string;
}

/**
 * Writes a secret or a config file with mode 0600: a hidden temporary file in the same folder,
 * synced, renamed over the old one, then the folder synced, so a crash leaves the old file or the
 * new one, never half of either.
 */
export async function writePrivateFile(
  file: string,
  text: string,
  options: PrivateFileOptions = {},
): Promise<void> {
  const folder = dirname(file);
  const temporary = join(folder, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      // The process umask may have narrowed or the file may be on a filesystem that ignores open's mode.
      await handle.chmod(0o600);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
    await fsyncDirectory(folder);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new OrbitError('IO', `cannot write ${options.label ?? file}: ${(error as Error).message}`, {
      path: file,
      hint: options.hint ?? 'check that the folder exists and this process may write it',
      cause: error,
    });
  }
}
