import { lstat, mkdir } from 'node:fs/promises';
import { posix } from 'node:path';
import type { ScanEntry } from '@orbit/engine/scan/scan-tree';
import { fsyncDirectory } from '@orbit/engine/transfer/atomic-file';
import { applyOwner, keepsOwners } from '@orbit/engine/transfer/ownership';
import { ensureDirectory, finishDirectory } from '@orbit/engine/transfer/tree-entries';
import type { CommandResult, FileEntry__Output, PathFailure, PlaceEntries__Output } from '@orbit/proto';
import { symlinkSupport } from '../native/symlink-placer.ts';
import { isPathDeniedError } from '../security/path-denied-error.ts';
import type { PathJail } from '../security/path-jail.ts';
import { CommandRefusal } from './command-error.ts';
import type { CommandIo } from './command-io.ts';
import { placeHardLink } from './hard-link-placer.ts';
import { isPlainRelative } from './remove-paths.ts';

/**
 * Creates a copy's or mirror's directories, symlinks and hard links under its destination as the
 * CLI does: parents first, then each folder's mode and mtime deepest first, once nothing inside it
 * changes any more. Links go through the symlink placer (libc under Deno: Deno's own call needs
 * unscoped permissions), created under a temp name and renamed, never followed; their target text
 * is copied verbatim. Where this Star has no placer (not Linux) its links are reported as skipped,
 * not failed. A file's later names become hard links to the file that arrived for its first name.
 */
export async function placeEntries(command: PlaceEntries__Output, io: CommandIo): Promise<CommandResult> {
  const entries = command.entries.filter(
    (entry) =>
      entry.kind === 'ENTRY_KIND_DIRECTORY' ||
      entry.kind === 'ENTRY_KIND_SYMLINK' ||
      (entry.kind === 'ENTRY_KIND_FILE' && entry.hardLinkTo !== ''),
  );
  for (const path of entries.flatMap((entry) =>
    entry.hardLinkTo ? [entry.path, entry.hardLinkTo] : [entry.path],
  )) {
    if (!isPlainRelative(path))
      throw new CommandRefusal(
        'ERROR_CODE_INVALID_ARGUMENT',
        `path ${JSON.stringify(path)} must be relative to the destination without "..", "." or empty parts`,
      );
  }
  const root = await io.jail.resolve(command.destinationPath, 'write');
  await mkdir(root.realPath, { recursive: true });
  let placed = 0;
  const failures: PathFailure[] = [];
  const skipped: PathFailure[] = [];
  const hardLinked: string[] = [];
  const hardLinkCopies: string[] = [];
  let hardLinksUnchanged = 0;
  const directories: { target: string; entry: ScanEntry }[] = [];
  /** Folders a hard link was made in: synced once at the end, so the links survive a crash. */
  const linkedIn = new Set<string>();
  const links = symlinkSupport();
  // Only a Star running as root may give entries away; anyone else skips owners silently.
  const owners = keepsOwners();
  const ordered = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const wire of ordered) {
    io.signal.throwIfAborted();
    const entry = scanEntryOf(wire);
    try {
      const target = await targetOf(io.jail, command.destinationPath, root.realPath, entry.path);
      const owner = owners ? { uid: wire.uid, gid: wire.gid } : undefined;
      if (wire.hardLinkTo) {
        // The first name arrived over the data plane: its folder must exist already.
        const leader = await targetOf(
          io.jail,
          command.destinationPath,
          root.realPath,
          wire.hardLinkTo,
          false,
        );
        const outcome = await placeHardLink(target, leader);
        if (outcome === 'copied') hardLinkCopies.push(entry.path);
        else hardLinked.push(entry.path);
        if (outcome === 'unchanged') hardLinksUnchanged++;
        else linkedIn.add(posix.dirname(target));
      } else if (entry.kind === 'dir') {
        if ((await ensureDirectory(target, entry)) === 'created') placed++;
        // The folder was just checked to be a folder (never a link): its owner, as rsync -a keeps it.
        if (owner) await applyOwner(target, await lstat(target), owner);
        directories.push({ target, entry });
      } else if ('unavailable' in links) {
        skipped.push({ path: entry.path, message: `symlink not created: ${links.unavailable}` });
      } else {
        const placement = {
          rootReal: root.realPath,
          folders: posix.dirname(entry.path) === '.' ? [] : posix.dirname(entry.path).split('/'),
          name: posix.basename(entry.path),
          target: entry.linkTarget ?? '',
          mtimeMs: entry.mtimeMs,
          owner,
        };
        // targetOf had the jail check the folder; the placer walks it again without following links.
        if (await links.placer.place(placement)) placed++;
      }
    } catch (error) {
      failures.push({ path: entry.path, message: messageOf(error) });
    }
  }
  for (const { target, entry } of directories.reverse()) {
    try {
      await finishDirectory(target, entry);
    } catch (error) {
      failures.push({ path: entry.path, message: `cannot set mode/mtime: ${messageOf(error)}` });
    }
  }
  for (const folder of linkedIn) await fsyncDirectory(folder).catch(() => undefined);
  return {
    placeEntries: { placed, failures, skipped, hardLinked, hardLinksUnchanged, hardLinkCopies },
  };
}

/**
 * `root/relative` for writing, its folder created when missing (unless `createFolder` is false).
 * The folder must resolve to exactly `root/dirname`: a path that runs through a symlink below the
 * destination is refused.
 */
async function targetOf(
  jail: PathJail,
  destination: string,
  rootReal: string,
  relative: string,
  createFolder = true,
): Promise<string> {
  const dir = posix.dirname(relative);
  const expected = dir === '.' ? rootReal : posix.join(rootReal, dir);
  const parent = await jail.resolve(posix.join(destination, dir), 'write');
  if (parent.realPath !== expected)
    throw new Error(`its folder resolves to ${parent.realPath} through a symlink; not placed`);
  if (!parent.exists && createFolder) await mkdir(expected, { recursive: true });
  return posix.join(expected, posix.basename(relative));
}

function scanEntryOf(entry: FileEntry__Output): ScanEntry {
  const symlink = entry.kind === 'ENTRY_KIND_SYMLINK';
  return {
    path: entry.path,
    kind: symlink ? 'symlink' : 'dir',
    size: Number(entry.size),
    mtimeMs: Number(entry.mtimeUnixMs),
    mode: entry.mode & 0o7777,
    ...(symlink ? { linkTarget: entry.linkTarget } : {}),
  };
}

function messageOf(error: unknown): string {
  if (isPathDeniedError(error)) return error.message;
  return error instanceof Error ? error.message : String(error);
}
