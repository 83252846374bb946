import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { JobCargoIndex } from '../cargo/cargo-index.ts';
import { finishJobCargo, jobManifestDir } from '../cargo/job-cargo.ts';
import { isOrbitError } from '../errors.ts';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import {
  emptyCounters,
  type FileFailure,
  type JobContext,
  type JobExecutor,
  type JobResult,
  type ResolvedJob,
} from '../runner/job-executor.ts';
import { denoRuntime } from '../runtime/deno-runtime.ts';
import { type ScanEntry, scanTree } from '../scan/scan-tree.ts';
import { fsyncDirectory } from './atomic-file.ts';
import { previousChunking } from './destination-chunks.ts';
import {
  copyFileEntry,
  fileDone,
  type JobFiles,
  linkFileEntry,
  recordOf,
  settleUnchangedFile,
} from './file-entry.ts';
import { filesystemSync } from './filesystem-sync.ts';
import { HardLinkGroups } from './hard-links.ts';
import { ignoreWithin } from './job-paths.ts';
import { type KindReplace, KindRule } from './kind-rule.ts';
import { pruneDestination } from './mirror-prune.ts';
import { keepOwner, keepsOwners } from './ownership.ts';
import { SmallFileCopier } from './small-file-copier.ts';
import { SyncBatch } from './sync-batch.ts';
import { TaskPool } from './task-pool.ts';
import { finishDirectory, syncSymlink } from './tree-entries.ts';

export { MAX_FILE_ATTEMPTS } from './file-entry.ts';

/**
 * Up to this many small files are in flight at once within a job: they spend most of their time
 * waiting on syncs and metadata calls, which overlap well. Bigger files weigh more (one slot per
 * 32 KiB), so a file of 8 MiB or more runs alone and buffers stay bounded.
 */
const FILE_SLOTS = 256;
const BYTES_PER_SLOT = 32 * 1024;
/** Small temp files made durable together by one SyncBatch (in-thread path). */
const SYNC_BATCH_FILES = 32;
/**
 * Small files per batch of the small-file worker: half the files in flight, so the worker writes
 * one batch while the last one's sync waits on the disk and the main thread reports the one
 * before. 20 000 files of 1–16 KiB, alternating runs: 3.9–4.9 s in batches of 128 of 256 in
 * flight, against 4.3–4.7 s in batches of 32 of 64 each synced before the next was written; more
 * in flight (512 or 1 024) was no faster, their syncfs calls only took longer. A second worker was
 * slower too, its syncs contending with the first's.
 */
const SMALL_FILE_BATCH = FILE_SLOTS / 2;
/** Under Deno, the small files in flight share their fdatasyncs (see sync-batch.ts). */
const deno = denoRuntime();
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
  const failures: FileFailure[] = [];
  const seen = new Set<string>();
  const directories: ScanEntry[] = [];
  const cargoDir = jobManifestDir(context.stateDir, job.name);
  const hardLinks = new HardLinkGroups();
  let checksumMatch = true;
  let scanComplete = true;

  // Neither read the run's own state nor write over it (a source path maps to the same destination path).
  const ignoreInSource = ignoreWithin(job.source, context.ignorePaths ?? []);
  const ignoreInDestination = ignoreWithin(job.destination, context.ignorePaths ?? []);
  const ignore = (path: string): boolean => ignoreInSource(path) || ignoreInDestination(path);
  const recordDeletion = async (entry: ScanEntry): Promise<void> => {
    files.counters.filesDeleted++;
    files.cargo?.remove(entry.path);
    await fileDone(files, entry, 'deleted');
  };
  const files: JobFiles = {
    job,
    context,
    algorithm: getHashAlgorithm(job.checksum),
    counters: emptyCounters(),
    skipped: [],
    kinds: new KindRule({
      job,
      replace: options.replace,
      dryRun,
      ignore: ignoreInDestination,
      signal,
      onDeleted: recordDeletion,
    }),
    freshDirs: new Set<string>(),
    dirsToSync: new Set<string>(),
    targetStats: new WeakMap(),
    syncBatch: deno ? new SyncBatch(SYNC_BATCH_FILES, filesystemSync()) : undefined,
    keepOwners: !dryRun && keepsOwners(),
    smallFiles:
      deno && !dryRun && context.smallFileWorker !== false
        ? SmallFileCopier.create(job.checksum, SMALL_FILE_BATCH)
        : undefined,
    checkpointBytes: context.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES,
    cargo: undefined,
    cachedChunking: undefined,
    retries: 0,
  };
  const { counters, kinds, freshDirs } = files;
  const progress = context.onProgress;

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
      files.skipped.push({ path: entry.path, message: 'special file (fifo, socket or device) skipped' });
      await fileDone(files, entry, 'skipped');
      return;
    }
    if (entry.kind === 'symlink') {
      await kinds.makeWay(entry);
      const changed = dryRun ? true : await syncSymlink(target, entry);
      if (changed) counters.filesCopied++;
      else counters.filesUnchanged++;
      const record = recordOf(files, entry, '', []);
      files.cargo?.put(record);
      await fileDone(files, entry, changed ? 'linked' : 'unchanged', record);
      return;
    }
    progress({ type: 'file-start', job: job.name, path: entry.path, size: entry.size });
    const group = entry.linkKey === undefined ? undefined : hardLinks.leaderOf(entry, target);
    if (group && 'leader' in group) {
      await linkFileEntry(files, entry, target, group.leader);
      return;
    }
    try {
      const record = await copyFileEntry(files, entry, target);
      group?.done(record);
    } catch (error) {
      group?.done(undefined, error);
      throw error;
    }
  };

  // As root, every entry keeps its source owner (as `rsync -a`); anyone else skips it silently.
  const owners = files.keepOwners;
  /** Per-path failures are collected; only cancellation escapes. */
  const guarded = async (entry: ScanEntry): Promise<void> => {
    try {
      await handleEntry(entry);
      if (owners)
        await keepOwner(entry.owner, join(job.destination, entry.path), files.targetStats.get(entry));
    } catch (error) {
      if (signal.aborted) throw error;
      if (isOrbitError(error) && error.code === 'CHECKSUM_MISMATCH') checksumMatch = false;
      const message = isOrbitError(error) ? error.format() : String(error);
      failures.push({ path: entry.path, message });
      progress({ type: 'file-failed', job: job.name, path: entry.path, error: message });
    }
  };
  const pool = new TaskPool(FILE_SLOTS);

  progress({ type: 'job-start', job: job.name });
  try {
    // Loaded before any byte moves, so a damaged index stops the job with its file and line.
    if (!dryRun) {
      files.cargo = await JobCargoIndex.load(cargoDir);
      files.cachedChunking = await previousChunking(cargoDir);
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
      // Folders are not counted: "N files (a copied, b unchanged…)" adds up without them.
      if (entry.kind !== 'dir') counters.filesScanned++;
      seen.add(entry.path);
      // Folders are created in scan order, before anything inside them starts.
      if (entry.kind === 'dir') await guarded(entry);
      else if (entry.kind === 'file' && settleUnchangedFile(files, entry, join(job.destination, entry.path)))
        continue;
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
          files.cargo?.put(recordOf(files, entry, '', []));
        } catch (error) {
          failures.push({ path: entry.path, message: `cannot set mode/mtime: ${String(error)}` });
        }
      }
      for (const dir of files.dirsToSync) await fsyncDirectory(dir);
      if (files.cargo) await finishJobCargo(job, files.cargo, scanComplete ? seen : undefined);
    }
    // Files finish out of order when several are in flight; report them in path order.
    failures.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const result: JobResult = {
      job: job.name,
      status: failures.length > 0 ? 'failed' : 'succeeded',
      counters,
      durationMs: Date.now() - started,
      retries: files.retries,
      failures,
      checksumMatch,
      skipped: files.skipped,
      ...(failures.length > 0 ? { reason: `${failures.length} path(s) failed` } : {}),
      ...(extraneous ? { extraneous } : {}),
    };
    progress({ type: 'job-done', job: job.name, result });
    return result;
  } catch (error) {
    await pool.settle();
    // Records of the files that did finish are kept for the next run.
    await files.cargo?.close().catch(() => undefined);
    if (signal.aborted) throw error;
    const message = isOrbitError(error) ? error.format() : String(error);
    const result: JobResult = {
      job: job.name,
      status: 'failed',
      counters,
      durationMs: Date.now() - started,
      retries: files.retries,
      failures: [...failures, { path: job.source, message }],
      reason: message,
    };
    progress({ type: 'job-done', job: job.name, result });
    return result;
  } finally {
    files.smallFiles?.close();
  }
}
