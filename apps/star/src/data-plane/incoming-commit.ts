import { rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDirectory } from '@orbit/engine/transfer/atomic-file';
import type { JailedPath, PathJail } from '../security/path-jail.ts';
import { DataPlaneError } from './data-plane-error.ts';
import { applyMetadata } from './incoming-checks.ts';
import type { IncomingTemp } from './incoming-temp.ts';
import type { ReceiverJournal } from './receiver-journal.ts';
import type { FileAnnounce } from './wire-messages.ts';

export interface CommitTarget {
  readonly jail: PathJail;
  readonly journal: ReceiverJournal;
  readonly target: JailedPath;
  readonly announce: FileAnnounce;
  /** The sender's whole-file hash. */
  readonly hash: string;
}

/**
 * The end of every received file: the whole temp file must hash to the sender's hash, then it gets
 * its mode and mtime, is made durable, and is renamed over the target, whose directory is synced.
 * Throws without touching the target on a mismatch; the caller removes the temp file. Returns the
 * file's inode, which the chunk-list cache ties its entry to.
 */
export async function commitTemp(
  temp: IncomingTemp,
  { jail, journal, target, announce, hash }: CommitTarget,
): Promise<number> {
  const digest = await temp.digest(announce.size);
  if (digest !== hash) {
    throw new DataPlaneError(
      'checksum',
      `the received ${announce.path} does not match the sender's file hash`,
      {
        path: target.realPath,
        hint: 'check the destination disk for errors, then push the file again',
      },
    );
  }
  await applyMetadata(temp.handle, announce);
  await temp.handle.sync();
  const { ino } = await temp.handle.stat();
  await temp.close();
  // The target is checked again just before the rename: a symlink swapped in meanwhile is refused.
  const again = await jail.resolveEntry(target.requested, 'write');
  if (again.realPath !== target.realPath) {
    throw new DataPlaneError('path-denied', `${announce.path} moved while it was being written`);
  }
  await rename(temp.path.realPath, target.realPath);
  await fsyncDirectory(dirname(target.realPath));
  await journal.finish(target.realPath);
  return ino;
}
