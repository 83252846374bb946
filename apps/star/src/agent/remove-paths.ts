import type { Stats } from 'node:fs';
import { lstat, rmdir, unlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { fsyncDirectory, isErrno, isPartialPath } from '@orbit/engine/transfer/atomic-file';
import type { CommandResult, EntryKind, PathFailure, RemovePaths__Output } from '@orbit/proto';
import { isPathDeniedError } from '../security/path-denied-error.ts';
import { CommandRefusal } from './command-error.ts';
import type { CommandIo } from './command-io.ts';

/**
 * Removes entries below a job's destination (a mirror's extraneous paths and entries in the way of
 * another kind), deepest first. Each
 * entry's parent is resolved through the jail and must be exactly `destination/dirname`: a path
 * that runs through a symlink is refused, and the entry itself is unlinked, never followed. A
 * directory goes only when empty (else it stays, silently); temp files of transfers in flight are
 * never touched.
 */
export async function removePaths(command: RemovePaths__Output, io: CommandIo): Promise<CommandResult> {
  for (const entry of command.entries) {
    if (!isPlainRelative(entry.path))
      throw new CommandRefusal(
        'ERROR_CODE_INVALID_ARGUMENT',
        `path ${JSON.stringify(entry.path)} must be relative to the destination without "..", "." or empty parts`,
      );
  }
  const root = await io.jail.resolve(command.destinationPath, 'write');
  const removed: string[] = [];
  const failures: PathFailure[] = [];
  if (!root.exists) return { removePaths: { removed, failures } };
  const parents = new Set<string>();
  const ordered = [...command.entries].sort((a, b) => depth(b.path) - depth(a.path));
  for (const entry of ordered) {
    io.signal.throwIfAborted();
    const fail = (message: string) => failures.push({ path: entry.path, message });
    if (isPartialPath(posix.basename(entry.path))) {
      fail('a transfer temp file; left in place');
      continue;
    }
    try {
      const dir = posix.dirname(entry.path);
      const parent = await io.jail.resolve(posix.join(command.destinationPath, dir), 'write');
      if (!parent.exists) continue;
      if (parent.realPath !== (dir === '.' ? root.realPath : posix.join(root.realPath, dir))) {
        fail(`its folder resolves to ${parent.realPath} through a symlink; left in place`);
        continue;
      }
      const target = posix.join(parent.realPath, posix.basename(entry.path));
      const found = await lstat(target).catch((error: unknown) => {
        if ((error as { code?: string }).code === 'ENOENT') return undefined;
        throw error;
      });
      if (found === undefined) continue;
      const kind = kindOf(found);
      if (kind !== entry.kind) {
        fail(`is now ${describe(kind)}, the scan saw ${describe(entry.kind)}; left in place`);
        continue;
      }
      if (kind === 'ENTRY_KIND_DIRECTORY') await rmdir(target);
      else await unlink(target);
      removed.push(entry.path);
      parents.add(parent.realPath);
    } catch (error) {
      // As in the CLI's mirror: a folder that still holds excluded entries stays, and that is no failure.
      if (isErrno(error, 'ENOTEMPTY', 'EEXIST')) continue;
      if (isPathDeniedError(error)) fail(error.message);
      else fail(`cannot remove: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // Removals are durable before the Nucleus records them.
  for (const parent of parents) await fsyncDirectory(parent).catch(() => undefined);
  return { removePaths: { removed, failures } };
}

export function isPlainRelative(path: string): boolean {
  return (
    path !== '' &&
    !path.includes('\0') &&
    path.split('/').every((part) => part !== '' && part !== '.' && part !== '..')
  );
}

function depth(path: string): number {
  return path.split('/').length;
}

function kindOf(stats: Stats): EntryKind {
  if (stats.isSymbolicLink()) return 'ENTRY_KIND_SYMLINK';
  if (stats.isDirectory()) return 'ENTRY_KIND_DIRECTORY';
  if (stats.isFile()) return 'ENTRY_KIND_FILE';
  return 'ENTRY_KIND_OTHER';
}

const KIND_NAMES: Partial<Record<string, string>> = {
  ENTRY_KIND_FILE: 'a file',
  ENTRY_KIND_DIRECTORY: 'a folder',
  ENTRY_KIND_SYMLINK: 'a symlink',
};

function describe(kind: EntryKind): string {
  return KIND_NAMES[String(kind)] ?? 'a special file';
}
