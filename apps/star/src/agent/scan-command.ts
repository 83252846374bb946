import { lstat } from 'node:fs/promises';
import { posix } from 'node:path';
import { type ScanEntry, type ScanEntryKind, scanTree } from '@orbit/engine/scan/index';
import type { CommandResult, EntryKind, FileEntry, ScanDirectory__Output } from '@orbit/proto';
import type { CommandIo } from './command-io.ts';

const KINDS: Record<ScanEntryKind, EntryKind> = {
  file: 'ENTRY_KIND_FILE',
  dir: 'ENTRY_KIND_DIRECTORY',
  symlink: 'ENTRY_KIND_SYMLINK',
  special: 'ENTRY_KIND_OTHER',
};
/** Field tags, lengths and varints around the path: a safe overestimate of one entry's wire size. */
const ENTRY_OVERHEAD_BYTES = 48;

/**
 * A folder's or link's owner, for a destination that places them as root; files carry theirs over
 * the data plane, so the walk's own stat (which has no owner) is enough for them.
 */
async function ownerOf(root: string, entry: ScanEntry): Promise<{ uid?: number; gid?: number }> {
  if (entry.kind !== 'dir' && entry.kind !== 'symlink') return {};
  const stats = await lstat(posix.join(root, entry.path)).catch(() => undefined);
  return stats ? { uid: stats.uid, gid: stats.gid } : {};
}

/**
 * Walks a directory under the jail and streams its entries in parts. The jail checks the root;
 * below it the walk reports symlinks without following them, so nothing outside can be reached.
 * A file's later names (same dev and inode) name its first one in `hardLinkTo`: the walk's order is
 * the CLI's, so both pick the same name to copy and link the rest to.
 */
export async function scanDirectory(command: ScanDirectory__Output, io: CommandIo): Promise<CommandResult> {
  const root = await io.jail.resolve(command.path, 'read');
  let batch: FileEntry[] = [];
  let batchBytes = 0;
  let files = 0;
  let directories = 0;
  let bytes = 0;
  /** dev:ino → the first name met, for files with several names. */
  const firstNames = new Map<string, string>();
  for await (const entry of scanTree(root.realPath, {
    include: command.include,
    exclude: command.exclude,
    signal: io.signal,
  })) {
    if (entry.kind === 'file') {
      files += 1;
      bytes += entry.size;
    } else if (entry.kind === 'dir') directories += 1;
    const hardLink = hardLinkOf(entry, firstNames);
    batch.push({
      path: entry.path,
      size: entry.kind === 'dir' ? 0 : entry.size,
      mtimeUnixMs: Math.trunc(entry.mtimeMs),
      mode: entry.mode,
      kind: KINDS[entry.kind],
      linkTarget: entry.linkTarget ?? '',
      ...(await ownerOf(root.realPath, entry)),
      ...hardLink,
    });
    batchBytes +=
      Buffer.byteLength(entry.path) +
      Buffer.byteLength(entry.linkTarget ?? hardLink.hardLinkTo ?? '') +
      ENTRY_OVERHEAD_BYTES;
    if (batchBytes >= io.partMaxBytes) {
      await io.emitPart({ scanEntries: { entries: batch } }, false);
      io.progress({ filesDone: files, bytesDone: bytes, currentPath: entry.path });
      batch = [];
      batchBytes = 0;
    }
  }
  await io.emitPart({ scanEntries: { entries: batch } }, true);
  return { scanDirectory: { files, directories, bytes, parts: io.partsSent() } };
}

function hardLinkOf(entry: ScanEntry, firstNames: Map<string, string>): { hardLinkTo?: string } {
  if (entry.kind !== 'file' || entry.linkKey === undefined) return {};
  const first = firstNames.get(entry.linkKey);
  if (first === undefined) {
    firstNames.set(entry.linkKey, entry.path);
    return {};
  }
  return { hardLinkTo: first };
}
