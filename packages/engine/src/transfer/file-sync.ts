import { constants } from 'node:fs';
import { copyFile, type FileHandle, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ChunkingOptions } from '../chunking/chunking-options.ts';
import { OrbitError } from '../errors.ts';
import type { HashAlgorithm, IncrementalHash } from '../hashing/hash-algorithm.ts';
import { denoRuntime } from '../runtime/deno-runtime.ts';
import { toFsError } from '../scan/fs-error.ts';
import { createTempFile, fsyncDirectory, partialPathFor, reopenTempFile } from './atomic-file.ts';
import {
  type ChunkPassOptions,
  type ChunkRef,
  chunkPass,
  hashRange,
  WORKER_CUT_MIN_BYTES,
} from './chunk-pass.ts';
import type { FileJournal } from './file-journal.ts';
import { guidedThenPlain, usableGuide } from './guided-chunk-pass.ts';
import type { Owner } from './ownership.ts';
import { openPositionalWriter, type PositionalWriter } from './positional-writer.ts';
import { writeDataRuns } from './sparse-runs.ts';
import type { SyncBatch } from './sync-batch.ts';

export interface SourceFile {
  readonly size: number;
  readonly mtimeMs: number;
  readonly mode: number;
  /** The source has holes: its zero pages are left as holes in the copy too. */
  readonly sparse?: boolean;
}

/** What the destination already holds at the target path (its chunk list, cached or freshly cut). */
export interface ExistingFile {
  readonly size: number;
  readonly chunks: readonly ChunkRef[];
  readonly hash: string;
  /** The parameters `chunks` were cut with, when known: the same as the job's lets them guide the pass. */
  readonly chunking?: ChunkingOptions;
}

export interface SyncFileRequest {
  /** Relative path in the job (journal and audit key). */
  readonly path: string;
  readonly source: string;
  readonly target: string;
  readonly entry: SourceFile;
  readonly existing?: ExistingFile;
  readonly chunking: ChunkingOptions;
  readonly algorithm: HashAlgorithm;
  readonly journal?: FileJournal;
  /** Temp data is fdatasync'ed and journalled after about this many bytes. */
  readonly checkpointBytes: number;
  readonly signal?: AbortSignal;
  /** Deltas as the file goes: per chunk, and once for a resumed prefix (read back, nothing written). */
  readonly onProgress?: (read: number, written: number) => void;
  readonly onChunk?: (chunk: ChunkRef, action: 'written' | 'reused') => Promise<void>;
  /**
   * Takes over the fsync of the target's folder after the rename, so a job can sync each folder
   * once at its end instead of once per file. Until then a crash may undo the rename, never expose
   * a partial file: the data was fsync'ed before it.
   */
  readonly deferDirectorySync?: (dir: string) => void;
  /**
   * How a same-size update starts from the old file: `reflink` (default) clones it only where the
   * filesystem shares blocks, else rewrites the file; `reflink-or-copy` falls back to a kernel copy,
   * which pays off where the copy is server-side (NFS 4.2, SMB).
   */
  readonly cloneOld?: 'reflink' | 'reflink-or-copy';
  /** Small files only: their temp files are fdatasync'ed together with the others in flight. */
  readonly syncBatch?: SyncBatch;
  /**
   * The owner to give the copy (as root). The small-file worker sets it on the temp file before the
   * rename and says so in `ownerKept`; every other path leaves it to the job (`keepOwner`).
   */
  readonly owner?: Owner;
}

export interface SyncFileOutcome {
  readonly hash: string;
  readonly chunks: readonly ChunkRef[];
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly chunksWritten: number;
  readonly chunksReused: number;
  /** Bytes taken over from an interrupted run's temp file after re-verifying them. */
  readonly resumedBytes: number;
  /** The copy already has `owner` (see SyncFileRequest). */
  readonly ownerKept?: boolean;
}

/** The source's size or mtime moved while it was read; the caller retries the file. */
export class SourceChangedError extends OrbitError {
  constructor(path: string) {
    super('IO', 'the source file changed while it was being copied', {
      path,
      hint: 'stop whatever writes to it during the transfer, or exclude it',
    });
  }
}

const SCRATCH_SIZE = 8 * 1024 * 1024;

/** mtimes round-trip through float seconds; within a millisecond counts as the same time. */
export function sameMtime(a: number, b: number): boolean {
  return Math.abs(a - b) < 1;
}

/**
 * Seconds to hand to utimes for an mtime in ms. Half a microsecond is added because a double like
 * 1795318580.366 sits just below itself and runtimes that truncate to whole ms would read it back as 365.
 */
export function utimesSeconds(mtimeMs: number): number {
  return (mtimeMs + 0.0005) / 1000;
}

/**
 * Builds `target` from the source, reusing chunks the destination already has, inside
 * `.<name>.orbit-partial`; verifies it against the source's hash, then fsyncs, sets mode and
 * mtime and renames it into place. A same-size update on a filesystem with reflinks clones the old
 * file and patches only the chunks that differ at their offset.
 */
export async function syncFile(request: SyncFileRequest): Promise<SyncFileOutcome> {
  const { algorithm, entry } = request;
  const temp = partialPathFor(request.target);
  const verifies = algorithm.hexLength > 0;
  let bytesRead = 0;
  const read = (bytes: number): void => {
    bytesRead += bytes;
  };

  const resumed = await openResumedTemp(request, temp);
  const wholeHash = resumed?.wholeHash ?? algorithm.create();
  const patch =
    resumed === undefined &&
    verifies &&
    request.existing?.size === entry.size &&
    entry.size > 0 &&
    (await cloneInto(request.target, temp, request.cloneOld ?? 'reflink'));
  let handle: FileHandle;
  if (resumed) {
    handle = resumed.handle;
    read(resumed.bytes);
    request.onProgress?.(resumed.bytes, 0);
  } else if (patch) {
    const reopened = await reopenTempFile(temp).catch(writeError(temp, 'open the temp file'));
    if (!reopened) throw replacedTemp(temp);
    handle = reopened;
  } else {
    handle = await createTempFile(temp, 0o600).catch(writeError(temp, 'create the temp file'));
    await request.journal?.fileStarted(request.path, { temp, size: entry.size, mtimeMs: entry.mtimeMs });
  }

  const existingAt = new Map<number, ChunkRef>();
  const existingHashes = new Set<string>();
  if (verifies) {
    for (const chunk of request.existing?.chunks ?? []) {
      existingAt.set(chunk.offset, chunk);
      existingHashes.add(chunk.hash);
    }
  }
  let bytesWritten = 0;
  let chunksWritten = 0;
  let chunksReused = 0;
  let sinceCheckpoint = 0;
  // A resumed file is journalled afresh with its verified prefix, dropping chunks that failed re-verification.
  let pending: ChunkRef[] = resumed ? [...resumed.chunks] : [];
  if (resumed) {
    await request.journal?.fileStarted(request.path, { temp, size: entry.size, mtimeMs: entry.mtimeMs });
  }
  const journal = patch ? undefined : request.journal;
  // A checkpoint runs beside the copy, so the disk flushes one stretch while the next is read and
  // cut. It names only chunks whose writes finished before its fdatasync began; one at a time keeps
  // the journal's chunk lists in file order.
  let checkpointing: Promise<void> | undefined;
  // The write of the block being cut, which may hold the end of the chunks a checkpoint names.
  let blockWrite: Promise<void> | undefined;
  const checkpoint = async (): Promise<void> => {
    if (!journal || pending.length === 0) return;
    await checkpointing;
    const durable = pending;
    const written = blockWrite;
    pending = [];
    sinceCheckpoint = 0;
    checkpointing = (async () => {
      await written;
      await handle.datasync();
      await journal.checkpoint(request.path, durable);
    })();
    // Awaited before the next checkpoint and at the end; this only keeps a failure from going unobserved.
    checkpointing.catch(() => undefined);
  };

  // The old version's chunks, cut alike, steer a pass over an edited file: hashed, not cut, where
  // they still match (guided-chunk-pass.ts). A resumed or cloned temp takes the plain pass.
  const guide =
    !resumed && !patch && sameChunking(request.existing?.chunking, request.chunking)
      ? request.existing?.chunks
      : undefined;
  let source: FileHandle | undefined;
  let writer: PositionalWriter | undefined;
  try {
    // A big temp file written front to back by one pass (plain or guided: both read page-aligned
    // blocks from byte 0) bypasses the page cache (direct-writer.ts). For a re-sync this is most of
    // the saving: the copy's kernel time was page-cache writes (1 GiB, 1 MiB changed: 1.3–5.0 s
    // system time through the cache).
    const direct = !resumed && !patch && !entry.sparse && entry.size >= WORKER_CUT_MIN_BYTES;
    writer = await openPositionalWriter(temp, handle, entry.size, { direct }).catch(
      writeError(temp, 'open the temp file'),
    );
    const output = writer;
    // A fresh or resumed temp gets every block written as it is read; a clone only its changed chunks.
    const writeBlock = entry.sparse
      ? (data: Uint8Array, offset: number): Promise<void> =>
          writeDataRuns(data, offset, (piece, position) => output.write(piece, position))
      : (data: Uint8Array, offset: number): Promise<void> => output.write(data, offset);
    const onBlock = patch
      ? undefined
      : (data: Uint8Array, offset: number): Promise<void> => {
          blockWrite = writeBlock(data, offset).catch(writeError(temp, `write at byte ${offset}`));
          return blockWrite;
        };
    source = await open(request.source, 'r').catch((error: unknown) => {
      throw toFsError(error, request.source, 'open the source file');
    });
    const passOptions: ChunkPassOptions = {
      chunking: request.chunking,
      algorithm,
      from: resumed?.bytes ?? 0,
      end: entry.size,
      wholeHash,
      signal: request.signal,
      onRead: read,
      ...(onBlock ? { onBlock } : {}),
      onChunk: async (chunk, data) => {
        const same = existingAt.get(chunk.offset);
        if (patch && !(same?.length === chunk.length && same.hash === chunk.hash)) {
          await output.write(data, chunk.offset).catch(writeError(temp, `write at byte ${chunk.offset}`));
        }
        const reused = existingHashes.has(chunk.hash);
        if (reused) chunksReused++;
        else {
          chunksWritten++;
          bytesWritten += chunk.length;
        }
        request.onProgress?.(chunk.length, reused ? 0 : chunk.length);
        await request.onChunk?.(chunk, reused ? 'reused' : 'written');
        pending.push(chunk);
        sinceCheckpoint += chunk.length;
        if (sinceCheckpoint >= request.checkpointBytes) await checkpoint();
      },
    };
    const chunks = usableGuide(guide)
      ? (await guidedThenPlain(source, guide, passOptions)).chunks
      : await chunkPass(source, passOptions);
    const after = await source.stat();
    const size = (resumed?.bytes ?? 0) + chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    if (after.size !== entry.size || size !== entry.size || !sameMtime(after.mtimeMs, entry.mtimeMs)) {
      throw new SourceChangedError(request.source);
    }
    await checkpointing;
    // No checkpoint here: the file is about to be finished, and a small file that never reached
    // one is cheaper to redo than to journal (two fsyncs serialised through the journal).
    // A fresh or resumed temp ends where its last write did, short of a trailing hole; a clone
    // ends where the old file did.
    if (patch || entry.sparse) await handle.truncate(size);
    const hash = wholeHash.digest();
    // Every byte of a fresh temp file was written from the buffer that was just hashed, so reading it
    // back only re-reads the page cache. Bytes cloned from the old file or kept from an interrupted
    // run's temp were never hashed as source bytes here: those copies are read back and verified.
    if (verifies && (patch || resumed)) {
      const written = algorithm.create();
      const scratch = new Uint8Array(Math.min(SCRATCH_SIZE, size + 1));
      await hashRange(handle, 0, size, algorithm, scratch, written);
      if (written.digest() !== hash) {
        throw new OrbitError('CHECKSUM_MISMATCH', 'the written copy does not match the source', {
          path: request.target,
          hint: 'check the destination disk for errors, then run the job again',
        });
      }
    }
    await handle.chmod(entry.mode & 0o7777);
    await handle.utimes(new Date(), utimesSeconds(entry.mtimeMs));
    // Data and size must be durable before the rename; a lost mode or mtime only makes the next run re-check.
    await writer.close();
    await handle.datasync();
    await handle.close();
    await rename(temp, request.target).catch(writeError(request.target, 'move the finished file into place'));
    if (request.deferDirectorySync) request.deferDirectorySync(dirname(request.target));
    else await fsyncDirectory(dirname(request.target));
    await request.journal?.fileFinished(request.path);
    return {
      hash,
      chunks: [...(resumed?.chunks ?? []), ...chunks],
      bytesRead,
      bytesWritten,
      chunksWritten,
      chunksReused,
      resumedBytes: resumed?.bytes ?? 0,
    };
  } catch (error) {
    await checkpointing?.catch(() => undefined);
    await writer?.close().catch(() => undefined);
    await handle.close().catch(() => undefined);
    // A journalled temp file is kept for the next run to resume from after an abort; otherwise nothing is left.
    // A temp that cannot be removed (e.g. a read-only folder) stays hidden and is replaced next run.
    if (!(journal && request.signal?.aborted)) await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  } finally {
    await source?.close();
  }
}

function sameChunking(a: ChunkingOptions | undefined, b: ChunkingOptions): boolean {
  return a?.minSize === b.minSize && a.avgSize === b.avgSize && a.maxSize === b.maxSize;
}

/**
 * Clones `target` into `temp` when the filesystem can share blocks (btrfs, XFS, APFS), always as
 * a new file: anything at the temp name (a symlink too) fails the clone, and is removed. Without
 * reflinks a kernel copy measured no faster than writing the chunks we already hold in memory
 * (ext4, 512 MiB, 1 MiB changed), so then the file is written in full instead. Deno's copyFile
 * ignores COPYFILE_FICLONE_FORCE and always makes a full copy, which with the read-back check
 * measured slower than rewriting from the source (1 GiB, 1 MiB changed: 3.8–4.7 s vs 2.5–3.8 s,
 * alternating runs), so under Deno only an explicit `reflink-or-copy` copies.
 */
async function cloneInto(
  target: string,
  temp: string,
  how: NonNullable<SyncFileRequest['cloneOld']>,
): Promise<boolean> {
  if (how === 'reflink' && denoRuntime() !== undefined) return false;
  try {
    await copyFile(
      target,
      temp,
      constants.COPYFILE_EXCL |
        (how === 'reflink' ? constants.COPYFILE_FICLONE_FORCE : constants.COPYFILE_FICLONE),
    );
    return true;
  } catch {
    await rm(temp, { force: true }).catch(() => undefined);
    return false;
  }
}

/** Something other than the clone just made stands at the temp name: it is not written. */
function replacedTemp(temp: string): OrbitError {
  return new OrbitError('IO', 'the temp file was replaced by something else while it was being made', {
    path: temp,
    hint: 'find what else writes in the destination folder, then run the job again',
  });
}

/** Destination-side failures (read-only folder, full disk…) as an OrbitError naming the path. */
export function writeError(path: string, action: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof OrbitError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new OrbitError('IO', `cannot ${action}: ${reason}`, {
      path,
      hint: 'check that the destination folder is writable and its disk has free space',
      cause: error,
    });
  };
}

interface ResumedTemp {
  readonly handle: FileHandle;
  readonly bytes: number;
  readonly chunks: readonly ChunkRef[];
  /** Whole-file hash state after the verified prefix. */
  readonly wholeHash: IncrementalHash;
}

/**
 * Reopens an interrupted run's temp file when the source is unchanged, re-hashes the chunks the
 * journal recorded and keeps the verified prefix; anything else starts the file over. Only a
 * regular file of one name is taken over: a symlink, or a hard link to some other file, put at the
 * temp name is never written through (it is replaced when the file starts over).
 */
async function openResumedTemp(request: SyncFileRequest, temp: string): Promise<ResumedTemp | undefined> {
  const { algorithm, entry } = request;
  const point = request.journal?.resumePoint(request.path);
  if (!point || point.temp !== temp || algorithm.hexLength === 0) return undefined;
  if (point.size !== entry.size || !sameMtime(point.mtimeMs, entry.mtimeMs)) return undefined;
  const handle = await reopenTempFile(temp).catch(() => undefined);
  if (!handle) return undefined;
  const wholeHash = algorithm.create();
  const buffer = new Uint8Array(request.chunking.maxSize);
  const kept: ChunkRef[] = [];
  let bytes = 0;
  for (const chunk of point.chunks) {
    if (chunk.offset !== bytes || chunk.length > buffer.length) break;
    const data = buffer.subarray(0, chunk.length);
    const { bytesRead } = await handle.read(data, 0, chunk.length, chunk.offset);
    if (bytesRead !== chunk.length || algorithm.hash(data) !== chunk.hash) break;
    wholeHash.update(data);
    kept.push(chunk);
    bytes += chunk.length;
  }
  if (bytes === 0) {
    await handle.close();
    return undefined;
  }
  await handle.truncate(bytes);
  return { handle, bytes, chunks: kept, wholeHash };
}
