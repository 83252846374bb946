import { lstat, mkdir, rename } from 'node:fs/promises';
import type { JailedPath, PathJail } from './path-jail.ts';

/**
 * Creates a directory and its missing parents under a read-write root. Each level is created
 * by its resolved real path (mkdir never follows a link in its last component), and the result is
 * resolved again, so a link swapped in meanwhile ends in a refusal rather than a directory elsewhere.
 */
export async function ensureJailedDirectory(
  jail: PathJail,
  requestedPath: string,
  mode = 0o755,
): Promise<JailedPath> {
  const planned = await jail.resolve(requestedPath, 'write');
  if (!planned.exists) {
    const parts = planned.realPath.split('/').filter(Boolean);
    for (let depth = 1; depth <= parts.length; depth++) {
      // Levels that already exist (the root and above) just answer EEXIST.
      const level = `/${parts.slice(0, depth).join('/')}`;
      try {
        await mkdir(level, { mode });
      } catch (error) {
        if ((error as { code?: string }).code !== 'EEXIST') throw error;
      }
    }
  }
  const made = await jail.resolve(requestedPath, 'write');
  const info = await lstat(made.realPath);
  if (planned.exists && !info.isDirectory()) {
    throw Object.assign(new Error(`ENOTDIR: ${made.realPath} exists and is not a directory`), {
      code: 'ENOTDIR',
      path: made.realPath,
    });
  }
  if (!made.exists || !info.isDirectory() || made.realPath !== planned.realPath) {
    jail.refuse(requestedPath, 'swapped', `${made.realPath} is not the directory that was planned`);
  }
  return made;
}

/**
 * Renames within the jail (the last step of writing a file: temporary name → final name). Both
 * ends must resolve for writing; the source must not itself be a symlink.
 */
export async function renameWithinJail(jail: PathJail, from: string, to: string): Promise<JailedPath> {
  const source = await jail.resolve(from, 'write');
  const target = await jail.resolve(to, 'write');
  const info = await lstat(source.realPath);
  if (info.isSymbolicLink()) {
    jail.refuse(from, 'swapped', `${source.realPath} became a symlink after it was checked`);
  }
  await rename(source.realPath, target.realPath);
  const moved = await jail.resolve(to, 'write');
  const after = await lstat(moved.realPath);
  if (after.ino !== info.ino || after.dev !== info.dev) {
    jail.refuse(to, 'swapped', `${moved.realPath} is not the file that was renamed`);
  }
  return moved;
}
