import { join } from 'node:path';
import { isOrbitError } from '../errors.ts';
import { listPacks, openChunkIndex, PACKS_DIR } from './chunk-index.ts';
import { PackReader } from './pack-reader.ts';
import { listSnapshotIds, readSnapshot, snapshotPath } from './snapshot.ts';

export interface ArchiveProblem {
  /** The container, snapshot or index the problem is in. */
  readonly path: string;
  /** Byte offset of the damaged chunk record, for container problems. */
  readonly offset?: number;
  readonly message: string;
}

export interface ArchiveVerifyReport {
  readonly ok: boolean;
  readonly packs: number;
  readonly chunks: number;
  /** Original (uncompressed) bytes of the chunks that verified. */
  readonly bytes: number;
  readonly snapshots: number;
  readonly problems: readonly ArchiveProblem[];
}

/**
 * Reads every chunk of every container and checks it against its hash, then checks that every
 * snapshot's files are made of chunks that verified. Reports every problem instead of stopping at
 * the first, so one run shows the whole extent of damage.
 */
export async function verifyArchive(
  archiveDir: string,
  options: { readonly signal?: AbortSignal } = {},
): Promise<ArchiveVerifyReport> {
  const problems: ArchiveProblem[] = [];
  const good = new Set<string>();
  const packs = await listPacks(archiveDir);
  let chunks = 0;
  let bytes = 0;
  for (const name of packs) {
    const path = join(archiveDir, PACKS_DIR, name);
    let reader: PackReader;
    try {
      reader = await PackReader.open(path);
    } catch (error) {
      problems.push({ path, message: messageOf(error) });
      continue;
    }
    try {
      for (const entry of reader.entries) {
        options.signal?.throwIfAborted();
        chunks++;
        try {
          bytes += (await reader.readChunk(entry)).length;
          good.add(entry.hash);
        } catch (error) {
          if (!isOrbitError(error) || error.code !== 'CORRUPT') throw error;
          problems.push({ path, offset: entry.offset, message: error.message });
        }
      }
    } finally {
      await reader.close();
    }
  }

  const { missingPacks } = await openChunkIndex(archiveDir, false);
  for (const name of missingPacks) {
    problems.push({
      path: join(archiveDir, 'index'),
      message: `the index names container ${name}, which is missing`,
    });
  }

  const ids = await listSnapshotIds(archiveDir);
  for (const id of ids) {
    let entries: Awaited<ReturnType<typeof readSnapshot>>['entries'];
    try {
      entries = (await readSnapshot(archiveDir, id)).entries;
    } catch (error) {
      problems.push({ path: snapshotPath(archiveDir, id), message: messageOf(error) });
      continue;
    }
    for (const entry of entries) {
      if (entry.kind !== 'file') continue;
      const lost = entry.chunks.filter((hash) => !good.has(hash)).length;
      if (lost > 0) {
        problems.push({
          path: snapshotPath(archiveDir, id),
          message: `"${entry.path}" cannot be restored: ${lost} of its ${entry.chunks.length} chunk(s) are missing or damaged`,
        });
      }
    }
  }
  return { ok: problems.length === 0, packs: packs.length, chunks, bytes, snapshots: ids.length, problems };
}

function messageOf(error: unknown): string {
  if (isOrbitError(error)) return error.message;
  throw error;
}
