import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { JobCargoIndex } from '../cargo/cargo-index.ts';
import type { CargoRecord } from '../cargo/cargo-schema.ts';
import { finishJobCargo, jobManifestDir } from '../cargo/job-cargo.ts';
import type { ChunkingOptions } from '../chunking/chunking-options.ts';
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
} from '../runner/job-executor.ts';
import { denoRuntime } from '../runtime/deno-runtime.ts';
import { lstatPathOrUndefined, type PathStat } from '../scan/path-stat.ts';
import { type ScanEntry, scanTree } from '../scan/scan-tree.ts';
import { fsyncDirectory } from './atomic-file.ts';
import type { ChunkRef } from './chunk-pass.ts';
import { cargoRecordOf, destinationChunks, previousChunking } from './destination-chunks.ts';
import {
  type ExistingFile,
  SourceChangedError,
  type SyncFileRequest,
  sameMtime,
  syncFile,
} from './file-sync.ts';
import { HardLinkGroups, type LinkLeader, linkToLeader } from './hard-links.ts';
import { ignoreWithin, parentOf } from './job-paths.ts';
import { type KindReplace, KindRule } from './kind-rule.ts';
import { pruneDestination } from './mirror-prune.ts';
import { keepOwner, keepsOwners } from './ownership.ts';
import { syncSmallFile, takesSmallFilePath } from './small-file-sync.ts';
import { SyncBatch } from './sync-batch.ts';
import { TaskPool } from './task-pool.ts';
import { finishDirectory, lstatOrUndefined, syncSymlink } from './tree-entries.ts';

/**
 * Up to this many small files are in flight at once within a job: they spend most of their time
 * waiting on fsync and metadata calls, which overlap well. Bigger files weigh more (one slot per
 * 256 KiB), so a file of 8 MiB or more runs alone and buffers stay bounded.
 */
export const FILE_CONCURRENCY = 32;
const BYTES_PER_SLOT = 256 * 1024;
/** Under Deno, one-chunk files take the small-file path (see small-file-sync.ts). */
const deno = denoRuntime();

/** A file whose source keeps changing is tried this many times in all. */
export const MAX_FILE_ATTEMPTS = 3;
/** Default distance between resume checkpoints (temp fdatasync + journal fsync). */
export const DEFAULT_CHECKPOINT_BYTES = 64 * 1024 * 1024;

export interface TransferOptions {
  /** Remove destination entries the source no longer has (mirror with `delete = true`). */
  readonly prune: 'never' | 'report' | 'delete';
  /** What may go where the destination has another kind of entry than the source (kind-rule.ts). */
  readonly replace: KindReplace;
}

/** copy: never deletes. mirror: reports extraneous entries, removes them only with `delete = true`. */
export const copyJob: JobExecutor = (job, context) =>
  transferJob(job, context, { prune: 'never', replace: 'nothing' });
export const mirrorJob: JobExecutor = (job, context) =>
  transferJob(job, context, {
    prune: job.delete ? 'delete' : 'report',
    replace: job.delete ? 'files-and-folders' : 'files',
  });

export async function transferJob(
  job: ResolvedJob,
  context: JobContext,
  options: TransferOptions,
): Promise<JobResult> {
  const started = Date.now();
  const { signal, dryRun } = context;
  const algorithm = getHashAlgorithm(job.checksum);
  const counters = emptyCounters();
  const failures: FileFailure[] = [];
  const skipped: FileFailure[] = [];
  const seen = new Set<string>();
  const directories: ScanEntry[] = [];
  const cargoDir = jobManifestDir(context.stateDir, job.name);
  const checkpointBytes = context.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES;
  const dirsToSync = new Set<string>();
  const hardLinks = new HardLinkGroups();
  /** The target's lstat where a file was left as it was, so keeping its owner needs no second one. */
  const targetStats = new WeakMap<ScanEntry, PathStat>();
  const syncBatch = deno ? new SyncBatch(FILE_CONCURRENCY) : undefined;
  /** Folders (relative, '' for the root) that this run created, so they held nothing before. */
  const freshDirs = new Set<string>();
  let cargo: JobCargoIndex | undefined;
  let cachedChunking: ChunkingOptions | undefined;
  let retries = 0;
  let checksumMatch = true;
  let scanComplete = true;

  const progress = context.onProgress;
  const fileDone = async (entry: ScanEntry, action: FileAction, record?: CargoRecord): Promise<void> => {
    progress({ type: 'file-done', job: job.name, path: entry.path, action });
    // Counted in the job's audit event instead (see audit-events.ts).
    if (action === 'unchanged') return;
    await context.audit({
      type: 'file',
      job: job.name,
      path: entry.path,
      size: entry.size,
      hash: record?.hash ?? '',
      action,
      chunksWritten: 0,
      chunksReused: 0,
    });
  };

  const existingChunks = (
    entry: ScanEntry,
    target: string,
    stats: PathStat | undefined,
  ): Promise<ExistingFile | undefined> =>
    destinationChunks({
      entry,
      target,
      stats,
      cargo,
      cachedChunking,
      checksum: job.checksum,
      algorithm,
      chunking: job.chunking,
      signal,
      onRead: (bytes) => {
        counters.bytesRead += bytes;
      },
    });
  const recordOf = (entry: ScanEntry, hash: string, chunks: readonly ChunkRef[]): CargoRecord =>
    cargoRecordOf(entry, job.checksum, hash, chunks);

  /** Copies one file; resolves with its cargo record (none in a dry run or when it was skipped). */
  const copyFileEntry = async (entry: ScanEntry, target: string): Promise<CargoRecord | undefined> => {
    // In a folder this run created there is nothing to compare with: spare the failing lstat.
    const current = freshDirs.has(parentOf(entry.path)) ? undefined : await lstatPathOrUndefined(target);
    if (
      current?.kind === 'file' &&
      current.size === entry.size &&
      sameMtime(current.mtimeMs, entry.mtimeMs)
    ) {
      let action: FileAction = 'unchanged';
      if (current.mode !== entry.mode) {
        if (!dryRun) await chmod(target, entry.mode);
        action = 'updated';
      }
      if (action === 'unchanged') counters.filesUnchanged++;
      else counters.filesUpdated++;
      targetStats.set(entry, current);
      let record: CargoRecord | undefined;
      if (!dryRun) {
        const existing = await existingChunks(entry, target, current);
        record = recordOf(entry, existing?.hash ?? '', existing?.chunks ?? []);
        cargo?.put(record);
      }
      await fileDone(entry, action, record);
      return record;
    }
    if (current?.kind === 'dir') await kinds.clearFolder(entry, current);
    const action: FileAction = current ? 'updated' : 'copied';
    if (dryRun) {
      if (action === 'copied') counters.filesCopied++;
      else counters.filesUpdated++;
      await fileDone(entry, action);
      return undefined;
    }
    const existing = await existingChunks(entry, target, current);
    let source = entry;
    for (let attempt = 1; ; attempt++) {
      try {
        const request: SyncFileRequest = {
          path: entry.path,
          source: join(job.source, entry.path),
          target,
          entry: source,
          ...(existing ? { existing } : {}),
          chunking: job.chunking,
          algorithm,
          ...(context.journal ? { journal: context.journal } : {}),
          checkpointBytes,
          signal,
          deferDirectorySync: (dir) => dirsToSync.add(dir),
          ...(syncBatch ? { syncBatch } : {}),
          onProgress: (read, written) =>
            progress({ type: 'bytes', job: job.name, path: entry.path, read, written }),
          onChunk: (chunk, chunkAction) =>
            context.audit({ type: 'chunk', job: job.name, file: entry.path, ...chunk, action: chunkAction }),
        };
        const outcome =
          deno && takesSmallFilePath(request) ? await syncSmallFile(request, deno) : await syncFile(request);
        counters.bytesRead += outcome.bytesRead;
        counters.bytesWritten += outcome.bytesWritten;
        counters.chunksWritten += outcome.chunksWritten;
        counters.chunksReused += outcome.chunksReused;
        if (action === 'copied') counters.filesCopied++;
        else counters.filesUpdated++;
        const record = recordOf(source, outcome.hash, outcome.chunks);
        cargo?.put(record);
        progress({ type: 'file-done', job: job.name, path: entry.path, action });
        await context.audit({
          type: 'file',
          job: job.name,
          path: entry.path,
          size: source.size,
          hash: outcome.hash,
          action,
          chunksWritten: outcome.chunksWritten,
          chunksReused: outcome.chunksReused,
        });
        return record;
      } catch (error) {
        // A file deleted from the source after the scan saw it is not a failure; say so and go on.
        if (
          isOrbitError(error) &&
          error.code === 'PATH_NOT_FOUND' &&
          !(await lstatOrUndefined(join(job.source, entry.path)))
        ) {
          counters.filesSkipped++;
          skipped.push({ path: entry.path, message: 'vanished from the source during the run' });
          await fileDone(entry, 'skipped');
          return undefined;
        }
        if (!(error instanceof SourceChangedError) || attempt >= MAX_FILE_ATTEMPTS) throw error;
        retries++;
        const fresh = await lstatOrUndefined(join(job.source, entry.path));
        if (!fresh?.isFile()) throw error;
        source = { ...entry, size: fresh.size, mtimeMs: fresh.mtimeMs, mode: fresh.mode & 0o7777 };
      }
    }
  };

  const handleEntry = async (entry: ScanEntry): Promise<void> => {
    const target = join(job.destination, entry.path);
    kinds.checkFolders(entry.path);
    if (entry.kind === 'dir') {
      if (await kinds.placeFolder(entry)) freshDirs.add(entry.path);
      directories.push(entry);
      return;
    }
    if (entry.kind === 'special') {
      counters.filesSkipped++;
      skipped.push({ path: entry.path, message: 'special file (fifo, socket or device) skipped' });
      await fileDone(entry, 'skipped');
      return;
    }
    if (entry.kind === 'symlink') {
      await kinds.makeWay(entry);
      const changed = dryRun ? true : await syncSymlink(target, entry);
      if (changed) counters.filesCopied++;
      else counters.filesUnchanged++;
      const record = recordOf(entry, '', []);
      cargo?.put(record);
      await fileDone(entry, changed ? 'linked' : 'unchanged', record);
      return;
    }
    progress({ type: 'file-start', job: job.name, path: entry.path, size: entry.size });
    const group = entry.linkKey === undefined ? undefined : hardLinks.leaderOf(entry, target);
    if (group && 'leader' in group) {
      await linkFileEntry(entry, target, group.leader);
      return;
    }
    try {
      const record = await copyFileEntry(entry, target);
      group?.done(record);
    } catch (error) {
      group?.done(undefined, error);
      throw error;
    }
  };

  /** A later name of a file the job already copied becomes a hard link to that copy. */
  const linkFileEntry = async (entry: ScanEntry, target: string, leader: LinkLeader): Promise<void> => {
    await kinds.makeWay(entry);
    if (dryRun) {
      counters.filesCopied++;
      await fileDone(entry, 'linked');
      return;
    }
    const leaderRecord = await leader.copied.catch(() => {
      throw new OrbitError('IO', `not linked: its other name "${leader.path}" failed in this run`, {
        path: join(job.source, entry.path),
        hint: 'fix the failure reported for that path, then run the job again',
      });
    });
    // The first name vanished from the source, or links cannot be made here: copy this name itself.
    const outcome = leaderRecord ? await linkToLeader(target, leader.target) : 'not-supported';
    if (!leaderRecord || outcome === 'not-supported') {
      await copyFileEntry(entry, target);
      return;
    }
    if (outcome === 'linked') {
      counters.filesCopied++;
      dirsToSync.add(dirname(target));
    } else counters.filesUnchanged++;
    const record: CargoRecord = { ...leaderRecord, path: entry.path };
    cargo?.put(record);
    await fileDone(entry, outcome, record);
  };

  // Neither read the run's own state nor write over it (a source path maps to the same destination path).
  const ignoreInSource = ignoreWithin(job.source, context.ignorePaths ?? []);
  const ignoreInDestination = ignoreWithin(job.destination, context.ignorePaths ?? []);
  const ignore = (path: string): boolean => ignoreInSource(path) || ignoreInDestination(path);
  const recordDeletion = async (entry: ScanEntry): Promise<void> => {
    counters.filesDeleted++;
    cargo?.remove(entry.path);
    await fileDone(entry, 'deleted');
  };
  const kinds = new KindRule({
    job,
    replace: options.replace,
    dryRun,
    ignore: ignoreInDestination,
    signal,
    onDeleted: recordDeletion,
  });

  // As root, every entry keeps its source owner (as `rsync -a`); anyone else skips it silently.
  const owners = !dryRun && keepsOwners();
  /** Per-path failures are collected; only cancellation escapes. */
  const guarded = async (entry: ScanEntry): Promise<void> => {
    try {
      await handleEntry(entry);
      if (owners) await keepOwner(entry.owner, join(job.destination, entry.path), targetStats.get(entry));
    } catch (error) {
      if (signal.aborted) throw error;
      if (isOrbitError(error) && error.code === 'CHECKSUM_MISMATCH') checksumMatch = false;
      const message = isOrbitError(error) ? error.format() : String(error);
      failures.push({ path: entry.path, message });
      progress({ type: 'file-failed', job: job.name, path: entry.path, error: message });
    }
  };
  const pool = new TaskPool(FILE_CONCURRENCY);

  progress({ type: 'job-start', job: job.name });
  try {
    // Loaded before any byte moves, so a damaged index stops the job with its file and line.
    if (!dryRun) {
      cargo = await JobCargoIndex.load(cargoDir);
      cachedChunking = await previousChunking(cargoDir);
    }
    if (!dryRun && (await mkdir(job.destination, { recursive: true })) !== undefined) freshDirs.add('');
    for await (const entry of scanTree(job.source, {
      include: job.include,
      exclude: job.exclude,
      signal,
      ignore,
      onError: (failure) => {
        scanComplete = false;
        failures.push({ path: failure.path, message: failure.error.format() });
      },
    })) {
      counters.filesScanned++;
      seen.add(entry.path);
      // Folders are created in scan order, before anything inside them starts.
      if (entry.kind === 'dir') await guarded(entry);
      else
        await pool.run(entry.kind === 'file' ? Math.max(1, Math.ceil(entry.size / BYTES_PER_SLOT)) : 1, () =>
          guarded(entry),
        );
    }
    await pool.drain();
    let extraneous: string[] | undefined;
    if (options.prune !== 'never') {
      const pruned = await pruneDestination(job, seen, {
        remove: options.prune === 'delete' && !dryRun,
        ignore: ignoreInDestination,
        signal,
      });
      failures.push(...pruned.failures);
      for (const entry of pruned.deleted) await recordDeletion(entry);
      if (options.prune === 'report' || dryRun) extraneous = pruned.extraneous.map((entry) => entry.path);
    }
    if (!dryRun) {
      // Deepest first: setting a parent's mtime must come after its children stop changing it.
      for (const entry of [...directories].reverse()) {
        try {
          await finishDirectory(join(job.destination, entry.path), entry);
          cargo?.put(recordOf(entry, '', []));
        } catch (error) {
          failures.push({ path: entry.path, message: `cannot set mode/mtime: ${String(error)}` });
        }
      }
      for (const dir of dirsToSync) await fsyncDirectory(dir);
      if (cargo) await finishJobCargo(job, cargo, scanComplete ? seen : undefined);
    }
    // Files finish out of order when several are in flight; report them in path order.
    failures.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const result: JobResult = {
      job: job.name,
      status: failures.length > 0 ? 'failed' : 'succeeded',
      counters,
      durationMs: Date.now() - started,
      retries,
      failures,
      checksumMatch,
      skipped,
      ...(failures.length > 0 ? { reason: `${failures.length} path(s) failed` } : {}),
      ...(extraneous ? { extraneous } : {}),
    };
    progress({ type: 'job-done', job: job.name, result });
    return result;
  } catch (error) {
    await pool.settle();
    // Records of the files that did finish are kept for the next run.
    await cargo?.close().catch(() => undefined);
    if (signal.aborted) throw error;
    const message = isOrbitError(error) ? error.format() : String(error);
    const result: JobResult = {
      job: job.name,
      status: 'failed',
      counters,
      durationMs: Date.now() - started,
      retries,
      failures: [...failures, { path: job.source, message }],
      reason: message,
    };
    progress({ type: 'job-done', job: job.name, result });
    return result;
  }
}
