import { randomBytes } from 'node:crypto';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { ChunkInfo, FileChunks } from '../chunking/chunk-assembler.ts';
import { chunkFile } from '../chunking/chunk-file.ts';
import { createFileCompressor } from '../compression/compress-chunk.ts';
import { isOrbitError, OrbitError } from '../errors.ts';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import {
  emptyCounters,
  type FileAction,
  type FileFailure,
  type JobContext,
  type JobExecutor,
  type JobResult,
  type ResolvedJob,
  reportFileDone,
} from '../runner/job-executor.ts';
import { type ScanEntry, scanTree } from '../scan/scan-tree.ts';
import { ArchiveStore } from './archive-store.ts';
import type { PackHashAlgorithm } from './pack-format.ts';
import { readAhead } from './read-ahead.ts';
import { type Snapshot, type SnapshotEntry, snapshotId, writeSnapshot } from './snapshot.ts';
import { latestSnapshotOf } from './snapshot-lookup.ts';
import { unchangedFile } from './unchanged-file.ts';

/** Small files read ahead of the one being stored (at most 32 × minSize bytes held). */
const READ_AHEAD_FILES = 32;

/** What the runner hands the archive executor: the shared executor context. */
export type ArchiveContext = JobContext;

/** Chunk ids need a real hash: a job with `checksum = "none"` still addresses chunks by BLAKE3. */
function packHashFor(job: ResolvedJob): PackHashAlgorithm {
  return job.checksum === 'sha256' ? 'sha256' : 'blake3';
}

/**
 * archive mode: scans the source, stores each file's chunks once in `.orbitpak` containers
 * (deduplicated across files and runs) and ends with an atomically written snapshot. A file whose
 * size and mtime match the previous snapshot and whose chunks are all stored is not read again.
 * An aborted or failed run seals the chunks it wrote, so the next run reuses them; only a
 * finished scan writes a snapshot.
 */
export const archiveJob: JobExecutor = async (job, context) => {
  const started = Date.now();
  const { signal } = context;
  const counters = emptyCounters();
  const failures: FileFailure[] = [];
  const skipped: FileFailure[] = [];
  const progress = context.onProgress;
  const entries: SnapshotEntry[] = [];
  let store: ArchiveStore | undefined;
  let storeFailure: unknown = null;

  const finish = (reason?: string): JobResult => {
    const failed = failures.length > 0 || reason !== undefined;
    const result: JobResult = {
      job: job.name,
      status: failed ? 'failed' : 'succeeded',
      counters,
      durationMs: Date.now() - started,
      retries: 0,
      failures,
      skipped,
      ...(failed ? { reason: reason ?? `${failures.length} path(s) could not be archived` } : {}),
    };
    progress({ type: 'job-done', job: job.name, result });
    return result;
  };

  const fileDone = (entry: ScanEntry, action: FileAction, hash: string, written = 0, reused = 0) =>
    reportFileDone(context, job.name, entry, action, { hash, chunksWritten: written, chunksReused: reused });

  const archiveFile = async (
    entry: ScanEntry,
    before: SnapshotEntry | undefined,
    openStore: ArchiveStore,
    prefetched: Promise<Uint8Array> | undefined,
  ): Promise<SnapshotEntry> => {
    progress({ type: 'file-start', job: job.name, path: entry.path, size: entry.size });
    const base = { kind: 'file' as const, path: entry.path, mode: entry.mode, mtime_ms: entry.mtimeMs };
    const kept = unchangedFile(before, entry, (hash) => openStore.has(hash));
    if (kept !== undefined) {
      if (kept.action === 'unchanged') counters.filesUnchanged++;
      else counters.filesUpdated++;
      counters.chunksReused += kept.entry.chunks.length;
      await fileDone(entry, kept.action, kept.entry.hash, 0, kept.entry.chunks.length);
      return kept.entry;
    }
    const compressor = createFileCompressor(job.compression);
    const algorithm = getHashAlgorithm(openStore.hashAlgorithm);
    let written = 0;
    let reused = 0;
    const storeChunk = async (chunk: ChunkInfo, data: Uint8Array): Promise<void> => {
      let stored: Awaited<ReturnType<ArchiveStore['put']>>;
      try {
        stored = await openStore.put(chunk.hash, data, (raw) => compressor.compress(raw));
      } catch (error) {
        storeFailure = error;
        throw error;
      }
      const storedBytes = stored.action === 'written' ? stored.storedBytes : 0;
      if (stored.action === 'written') {
        written++;
        counters.chunksWritten++;
        counters.bytesWritten += storedBytes;
      } else {
        reused++;
        counters.chunksReused++;
      }
      counters.bytesRead += chunk.length;
      progress({ type: 'bytes', job: job.name, path: entry.path, read: chunk.length, written: storedBytes });
      await context.audit({
        type: 'chunk',
        job: job.name,
        file: entry.path,
        ...chunk,
        action: stored.action,
      });
    };
    // A small file read ahead is one chunk (FastCDC cuts nothing before minSize): its hash is the file's.
    const whole = await prefetched;
    let chunked: FileChunks;
    if (whole !== undefined && whole.length <= job.chunking.minSize) {
      signal.throwIfAborted();
      const hash = algorithm.hash(whole);
      const chunks = whole.length === 0 ? [] : [{ offset: 0, length: whole.length, hash }];
      for (const chunk of chunks) await storeChunk(chunk, whole);
      chunked = { size: whole.length, hash, chunks };
    } else {
      chunked = await chunkFile(join(job.source, entry.path), job.chunking, algorithm, {
        signal,
        onChunk: storeChunk,
      });
    }
    const action: FileAction = before === undefined ? 'archived' : 'updated';
    if (before === undefined) counters.filesCopied++;
    else counters.filesUpdated++;
    await fileDone({ ...entry, size: chunked.size }, action, chunked.hash, written, reused);
    return {
      ...base,
      size: chunked.size,
      hash: chunked.hash,
      chunks: chunked.chunks.map((chunk) => chunk.hash),
    };
  };

  const archiveEntry = async (
    entry: ScanEntry,
    before: SnapshotEntry | undefined,
    openStore: ArchiveStore | undefined,
    prefetched: Promise<Uint8Array> | undefined,
  ): Promise<SnapshotEntry | undefined> => {
    const base = { path: entry.path, mode: entry.mode, mtime_ms: entry.mtimeMs };
    if (entry.kind === 'dir') return { kind: 'dir', ...base };
    if (entry.kind === 'special') {
      counters.filesSkipped++;
      skipped.push({ path: entry.path, message: 'special file (fifo, socket or device) skipped' });
      await fileDone(entry, 'skipped', '');
      return undefined;
    }
    if (entry.kind === 'symlink') {
      const target = entry.linkTarget ?? '';
      const same = before?.kind === 'symlink' && before.target === target;
      if (same) counters.filesUnchanged++;
      else counters.filesCopied++;
      await fileDone(entry, same ? 'unchanged' : 'linked', '');
      return { kind: 'symlink', ...base, target };
    }
    if (openStore === undefined) {
      // Dry run: say what would happen from the previous snapshot alone, reading nothing.
      const same = unchangedFile(before, entry, () => true) !== undefined;
      const action: FileAction = same ? 'unchanged' : before === undefined ? 'archived' : 'updated';
      if (action === 'archived') counters.filesCopied++;
      else if (action === 'updated') counters.filesUpdated++;
      else counters.filesUnchanged++;
      if (action !== 'unchanged') counters.bytesWritten += entry.size;
      await fileDone(entry, action, '');
      return undefined;
    }
    return archiveFile(entry, before, openStore, prefetched);
  };

  progress({ type: 'job-start', job: job.name });
  try {
    const ignore = ignoredInSource(job, context);
    if (!context.dryRun) {
      store = await ArchiveStore.open(job.destination, {
        hashAlgorithm: packHashFor(job),
        packSize: job.packSize,
      });
    }
    const previous = await latestSnapshotOf(job.destination, job.name);
    const scanned = scanTree(job.source, {
      include: job.include,
      exclude: job.exclude,
      signal,
      ignore,
      onError: (failure) => {
        failures.push({ path: failure.path, message: failure.error.format() });
      },
    });
    // Small files that will be stored are read ahead while earlier ones are chunked and stored.
    const openStore = store;
    const ahead = readAhead(scanned, {
      root: job.source,
      depth: READ_AHEAD_FILES,
      wanted: (entry) =>
        openStore !== undefined &&
        entry.kind === 'file' &&
        entry.size <= job.chunking.minSize &&
        unchangedFile(previous.get(entry.path), entry, (hash) => openStore.has(hash)) === undefined,
    });
    for await (const { entry, data } of ahead) {
      // Folders are not counted: "N files (a copied, b unchanged…)" adds up without them.
      if (entry.kind !== 'dir') counters.filesScanned++;
      try {
        const recorded = await archiveEntry(entry, previous.get(entry.path), store, data);
        if (recorded !== undefined) entries.push(recorded);
      } catch (error) {
        if (signal.aborted || storeFailure !== null) throw error;
        const message = isOrbitError(error) ? error.format() : String(error);
        failures.push({ path: entry.path, message });
        progress({ type: 'file-failed', job: job.name, path: entry.path, error: message });
      }
    }
    if (store !== undefined) {
      await store.flush();
      const createdAt = new Date();
      const snapshot: Snapshot = {
        format: 'orbit-snapshot',
        version: 1,
        id: snapshotId(createdAt, `${slug(context.runId)}-${randomBytes(3).toString('hex')}`),
        job: job.name,
        run_id: context.runId,
        created_at: createdAt.toISOString(),
        source: job.source,
        hash_algorithm: store.hashAlgorithm,
        complete: failures.length === 0,
        failures,
        entries,
      };
      await writeSnapshot(job.destination, snapshot);
      await store.close();
    }
    return finish();
  } catch (error) {
    // Sealing keeps every chunk already written; the next run finds them and reuses them.
    await store?.close().catch(() => undefined);
    if (signal.aborted) throw error;
    const message = isOrbitError(error) ? error.format() : String(error);
    failures.push({ path: job.destination, message });
    return finish(message);
  }
};

/**
 * Paths under the source the archive must not read: the archive itself when it lives inside the
 * source, and the run's own state and audit log (`context.ignorePaths`).
 */
function ignoredInSource(job: ResolvedJob, context: JobContext): (path: string) => boolean {
  if (relative(job.source, job.destination) === '') {
    throw new OrbitError('INVALID_ARGUMENT', 'the archive destination is the source folder itself', {
      path: job.destination,
      hint: 'archive into a folder outside the source, or one the source excludes',
    });
  }
  const prefixes: string[] = [];
  for (const path of [job.destination, ...(context.ignorePaths ?? [])]) {
    const inside = relative(job.source, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) continue;
    prefixes.push(inside.split(sep).join('/'));
  }
  return (path) => prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** A run id made safe and short for a file name. */
function slug(runId: string): string {
  return runId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 16) || 'run';
}
