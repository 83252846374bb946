import type { Stats } from 'node:fs';
import { chmod, lchown } from 'node:fs/promises';
import { lstatPathOrUndefined, type PathStat } from '../scan/path-stat.ts';

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
 * Gives `target` the scanned owner of its source, not following it when it is a link. A no-op
 * unless this process runs as root, when the owner is unknown or already right, or when the target
 * is gone (skipped, vanished). One lstat of the target (none when the caller has it: `known`), the
 * scan's own for the source.
 */
export async function keepOwner(owner: Owner | undefined, target: string, known?: PathStat): Promise<void> {
  if (owner === undefined || !keepsOwners()) return;
  const current = known ?? (await lstatPathOrUndefined(target));
  if (current === undefined || (current.uid === owner.uid && current.gid === owner.gid)) return;
  await lchown(target, owner.uid, owner.gid);
  if (current.kind !== 'symlink' && (current.mode & 0o6000) !== 0) await chmod(target, current.mode);
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
