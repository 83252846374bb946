import { constants } from 'node:fs';
import { type FileHandle, lstat, open, rename, rm } from 'node:fs/promises';
import { posix } from 'node:path';
import { hasHoles } from '@orbit/engine/scan/path-stat';
import { createTempFile, fsyncDirectory, partialPathFor } from '@orbit/engine/transfer/atomic-file';
import { utimesSeconds } from '@orbit/engine/transfer/file-sync';
import { linkToLeader } from '@orbit/engine/transfer/hard-links';
import { keepsOwners } from '@orbit/engine/transfer/ownership';
import { writeSliced } from '@orbit/engine/transfer/positional-writer';
import { writeDataRuns } from '@orbit/engine/transfer/sparse-runs';

export type HardLinkOutcome = 'linked' | 'unchanged' | 'copied';

const COPY_BLOCK_BYTES = 1024 * 1024;

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

/**
 * Copies the first name's file to the temp name beside `target` and renames it into place. Both
 * ends are opened without following a symlink (one swapped in is refused, never read or written
 * through); holes stay holes when the first name has them.
 */
export async function copyLeader(target: string, leader: string): Promise<void> {
  const temp = partialPathFor(target);
  const source = await open(leader, constants.O_RDONLY | constants.O_NOFOLLOW);
  let copy: FileHandle | undefined;
  try {
    // Deno resolves symlinks before it opens a path under scoped permissions (O_NOFOLLOW is not
    // honoured then): the name must still be the very file that was opened.
    const [stats, named] = await Promise.all([source.stat(), lstat(leader)]);
    if (!stats.isFile() || !named.isFile() || named.ino !== stats.ino || named.dev !== stats.dev) {
      throw new Error(`${leader} is no longer a regular file; not copied`);
    }
    copy = await createTempFile(temp, 0o600);
    const written = copy;
    const write = hasHoles(stats.size, stats.blocks)
      ? (data: Uint8Array, at: number) =>
          writeDataRuns(data, at, (piece, position) => writeSliced(written, piece, position))
      : (data: Uint8Array, at: number) => writeSliced(written, data, at);
    const block = new Uint8Array(Math.min(COPY_BLOCK_BYTES, Math.max(1, stats.size)));
    for (let at = 0; ; ) {
      const { bytesRead } = await source.read(block, 0, block.length, at);
      if (bytesRead === 0) break;
      await write(block.subarray(0, bytesRead), at);
      at += bytesRead;
    }
    await copy.truncate(stats.size);
    // The first name's owner is the source's already (a Star running as root keeps it).
    if (keepsOwners()) await copy.chown(stats.uid, stats.gid);
    await copy.chmod(stats.mode & 0o777);
    await copy.utimes(new Date(), utimesSeconds(stats.mtimeMs));
    await copy.sync();
    await copy.close();
    copy = undefined;
    await rename(temp, target);
  } catch (error) {
    await copy?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  } finally {
    await source.close();
  }
  await fsyncDirectory(posix.dirname(target));
}
