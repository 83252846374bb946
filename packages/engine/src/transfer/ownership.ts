import type { Stats } from 'node:fs';
import { chmod, lchown, lstat } from 'node:fs/promises';
import { isErrno } from './atomic-file.ts';

/** A file's owner as numeric ids (what `rsync -a --numeric-ids` keeps). */
export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

let root: boolean | undefined;

/**
 * Only root may give files away; anyone else skips ownership silently, as `rsync -a` does. A
 * runtime that will not say who it runs as (Deno without --allow-sys) counts as not root.
 */
export function keepsOwners(): boolean {
  if (root === undefined) {
    try {
      root = typeof process.getuid === 'function' && process.getuid() === 0;
    } catch {
      root = false;
    }
  }
  return root;
}

/**
 * Gives `target` the owner of `source`, neither of them followed when it is a link. A no-op unless
 * this process runs as root, when both already match, or when either is gone (skipped, vanished).
 */
export async function keepOwner(source: string, target: string): Promise<void> {
  if (!keepsOwners()) return;
  const [from, to] = await Promise.all([lstatOrGone(source), lstatOrGone(target)]);
  if (from === undefined || to === undefined) return;
  await applyOwner(target, to, from);
}

/**
 * Sets the owner of `target` (whose current stats are `current`) without following it. chown
 * clears setuid and setgid: such a mode is applied again afterwards.
 */
export async function applyOwner(target: string, current: Stats, owner: Owner): Promise<void> {
  if (current.uid === owner.uid && current.gid === owner.gid) return;
  await lchown(target, owner.uid, owner.gid);
  if (!current.isSymbolicLink() && (current.mode & 0o6000) !== 0) await chmod(target, current.mode & 0o7777);
}

async function lstatOrGone(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return undefined;
    throw error;
  }
}
