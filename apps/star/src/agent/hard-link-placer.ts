import { constants } from 'node:fs';
import { chmod, copyFile, lstat, open, rename, rm, utimes } from 'node:fs/promises';
import { posix } from 'node:path';
import { fsyncDirectory, partialPathFor } from '@orbit/engine/transfer/atomic-file';
import { utimesSeconds } from '@orbit/engine/transfer/file-sync';
import { linkToLeader } from '@orbit/engine/transfer/hard-links';
import { applyOwner, keepsOwners } from '@orbit/engine/transfer/ownership';

export type HardLinkOutcome = 'linked' | 'unchanged' | 'copied';

/**
 * Makes `target` another name of `leader`, the file that arrived for the first name: the engine's
 * `linkToLeader` (a name already linked is left alone, another file there is replaced by a link
 * made under the temp name and renamed; link(2) never follows a symlink). Both are real paths whose
 * folders the jail resolved below the destination. Where the filesystem cannot link them the name
 * gets a copy of that file, as the CLI copies it; its inode's mode, mtime and owner come along.
 */
export async function placeHardLink(target: string, leader: string): Promise<HardLinkOutcome> {
  const outcome = await linkToLeader(target, leader);
  if (outcome !== 'not-supported') return outcome;
  await copyLeader(target, leader);
  return 'copied';
}

async function copyLeader(target: string, leader: string): Promise<void> {
  const temp = partialPathFor(target);
  await rm(temp, { force: true });
  try {
    // EXCL: a name that appeared meanwhile (even a symlink) is not written through.
    await copyFile(leader, temp, constants.COPYFILE_EXCL);
    const source = await lstat(leader);
    await chmod(temp, source.mode & 0o777);
    const copy = await lstat(temp);
    if (keepsOwners()) await applyOwner(temp, copy, { uid: source.uid, gid: source.gid });
    await utimes(temp, new Date(), utimesSeconds(source.mtimeMs));
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(posix.dirname(target));
}
