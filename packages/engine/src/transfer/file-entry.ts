import { chmod } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { JobCargoIndex } from '../cargo/cargo-index.ts';
import type { CargoRecord } from '../cargo/cargo-schema.ts';
import type { ChunkingOptions } from '../chunking/chunking-options.ts';
import { isOrbitError, OrbitError } from '../errors.ts';
import type { HashAlgorithm } from '../hashing/hash-algorithm.ts';
import {
  type FileAction,
  type FileFailure,
  type JobContext,
  type JobCounters,
  type ResolvedJob,
  reportFileDone,
  reportFileUnchanged,
} from '../runner/job-executor.ts';
import { denoRuntime } from '../runtime/deno-runtime.ts';
import { lstatPathOrUndefined, lstatPathSync, type PathStat } from '../scan/path-stat.ts';
import type { ScanEntry } from '../scan/scan-tree.ts';
import type { ChunkRef } from './chunk-pass.ts';
import { cargoRecordOf, destinationChunks, recordStillMatches } from './destination-chunks.ts';
import {
  type ExistingFile,
  SourceChangedError,
  type SyncFileRequest,
  sameMtime,
  syncFile,
} from './file-sync.ts';
import { type LinkLeader, linkToLeader } from './hard-links.ts';
import { parentOf } from './job-paths.ts';
import type { KindRule } from './kind-rule.ts';
import type { SmallFileCopier } from './small-file-copier.ts';
import { syncSmallFile, takesSmallFilePath } from './small-file-sync.ts';
import type { SyncBatch } from './sync-batch.ts';
import { lstatOrUndefined } from './tree-entries.ts';

/** Under Deno, one-chunk files take the small-file path (see small-file-sync.ts). */
const deno = denoRuntime();

/** A file whose source keeps changing is tried this many times in all. */
export const MAX_FILE_ATTEMPTS = 3;

/** What a copy or mirror job's files share while it runs: its settings, counts and findings. */
export interface JobFiles {
  readonly job: ResolvedJob;
  readonly context: JobContext;
  readonly algorithm: HashAlgorithm;
  readonly counters: JobCounters;
  readonly skipped: FileFailure[];
  readonly kinds: KindRule;
  /** Folders (relative, '' for the root) that this run created, so they held nothing before. */
  readonly freshDirs: Set<string>;
  /** Folders whose fsync the job does once at its end. */
  readonly dirsToSync: Set<string>;
  /** The target's lstat where a file was left as it was, so keeping its owner needs no second one. */
  readonly targetStats: WeakMap<ScanEntry, PathStat>;
  readonly syncBatch: SyncBatch | undefined;
  /** Running as root outside a dry run: copies keep their source's owner. */
  readonly keepOwners: boolean;
  /** Copies small files in a worker thread (Deno); absent, they are copied in-thread. */
  readonly smallFiles: SmallFileCopier | undefined;
  readonly checkpointBytes: number;
  cargo: JobCargoIndex | undefined;
  cachedChunking: ChunkingOptions | undefined;
  retries: number;
}

/** Reports a finished path (`reportFileDone`), with the hash its cargo record holds. */
export function fileDone(
  files: JobFiles,
  entry: ScanEntry,
  action: FileAction,
  record?: CargoRecord,
): Promise<void> {
  return reportFileDone(files.context, files.job.name, entry, action, { hash: record?.hash ?? '' });
}

export function recordOf(
  files: JobFiles,
  entry: ScanEntry,
  hash: string,
  chunks: readonly ChunkRef[],
): CargoRecord {
  return cargoRecordOf(entry, files.job.checksum, hash, chunks);
}

function existingChunks(
  files: JobFiles,
  entry: ScanEntry,
  target: string,
  stats: PathStat | undefined,
): Promise<ExistingFile | undefined> {
  const { job, counters } = files;
  return destinationChunks({
    entry,
    target,
    stats,
    cargo: files.cargo,
    cachedChunking: files.cachedChunking,
    checksum: job.checksum,
    algorithm: files.algorithm,
    chunking: job.chunking,
    signal: files.context.signal,
    onRead: (bytes) => {
      counters.bytesRead += bytes;
    },
  });
}

/**
 * The unchanged case of `copyFileEntry` settled without a wait, where the runtime lstats
 * synchronously (Deno) and the job's cargo still holds the target's record: nothing is read and
 * nothing written. Most of a re-sync of an unchanged tree is this case, and each file's chain of
 * promises through the task pool cost more than its two lstats. Returns false, having done
 * nothing, wherever `copyFileEntry` has more to do (a mode or, as root, an owner to fix, no record,
 * hard links).
 */
export function settleUnchangedFile(files: JobFiles, entry: ScanEntry, target: string): boolean {
  const { job, context, cargo } = files;
  if (!lstatPathSync || context.dryRun || entry.linkKey !== undefined) return false;
  if (cargo === undefined || files.freshDirs.has(parentOf(entry.path))) return false;
  const cached = cargo.get(entry.path);
  if (cached === undefined) return false;
  let current: PathStat;
  try {
    files.kinds.checkFolders(entry.path);
    current = lstatPathSync(target);
  } catch {
    return false;
  }
  if (
    !sameContent(current, entry) ||
    current.mode !== entry.mode ||
    (files.keepOwners && !sameOwner(entry, current)) ||
    !recordStillMatches(cached, current, job.checksum)
  )
    return false;
  context.onProgress({ type: 'file-start', job: job.name, path: entry.path, size: entry.size });
  files.counters.filesUnchanged++;
  files.targetStats.set(entry, current);
  cargo.put(recordOf(files, entry, cached.hash, cached.chunks));
  reportFileUnchanged(context, job.name, entry.path);
  return true;
}

/** Whether the target is a file the scan's size and mtime say holds the source's bytes already. */
function sameContent(current: PathStat, entry: ScanEntry): boolean {
  return current.kind === 'file' && current.size === entry.size && sameMtime(current.mtimeMs, entry.mtimeMs);
}

/** As root, whether the target already has its source's owner (or the source's is unknown). */
function sameOwner(entry: ScanEntry, current: PathStat): boolean {
  return entry.owner === undefined || (current.uid === entry.owner.uid && current.gid === entry.owner.gid);
}

/**
 * Copies one file unless the destination has it already (same size and mtime); resolves with its
 * cargo record (none in a dry run or when it was skipped). A source that changes while it is read
 * is tried again, up to MAX_FILE_ATTEMPTS in all.
 */
export async function copyFileEntry(
  files: JobFiles,
  entry: ScanEntry,
  target: string,
): Promise<CargoRecord | undefined> {
  const { job, context, counters } = files;
  const { dryRun } = context;
  // In a folder this run created there is nothing to compare with: spare the failing lstat.
  const current = files.freshDirs.has(parentOf(entry.path)) ? undefined : await lstatPathOrUndefined(target);
  if (current !== undefined && sameContent(current, entry)) {
    let action: FileAction = 'unchanged';
    if (current.mode !== entry.mode) {
      if (!dryRun) await chmod(target, entry.mode);
      action = 'updated';
    }
    if (action === 'unchanged') counters.filesUnchanged++;
    else counters.filesUpdated++;
    files.targetStats.set(entry, current);
    let record: CargoRecord | undefined;
    if (!dryRun) {
      const existing = await existingChunks(files, entry, target, current);
      record = recordOf(files, entry, existing?.hash ?? '', existing?.chunks ?? []);
      files.cargo?.put(record);
    }
    await fileDone(files, entry, action, record);
    return record;
  }
  if (current?.kind === 'dir') await files.kinds.clearFolder(entry, current);
  const action: FileAction = current ? 'updated' : 'copied';
  if (dryRun) {
    if (action === 'copied') counters.filesCopied++;
    else counters.filesUpdated++;
    // What a dry run can say without reading: at most the whole file (see JobCounters.bytesWritten).
    counters.bytesWritten += entry.size;
    await fileDone(files, entry, action);
    return undefined;
  }
  const existing = await existingChunks(files, entry, target, current);
  const progress = context.onProgress;
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
        algorithm: files.algorithm,
        ...(context.journal ? { journal: context.journal } : {}),
        checkpointBytes: files.checkpointBytes,
        signal: context.signal,
        deferDirectorySync: (dir) => files.dirsToSync.add(dir),
        ...(files.syncBatch ? { syncBatch: files.syncBatch } : {}),
        ...(files.keepOwners && source.owner ? { owner: source.owner } : {}),
        onProgress: (read, written) =>
          progress({ type: 'bytes', job: job.name, path: entry.path, read, written }),
        // A chunk that is the whole file is what its file event says (size, hash, chunks_written or
        // chunks_reused): its own line would repeat it, at two signed lines per small file.
        onChunk: (chunk, chunkAction) =>
          chunk.offset === 0 && chunk.length === source.size
            ? Promise.resolve()
            : context.audit({
                type: 'chunk',
                job: job.name,
                file: entry.path,
                ...chunk,
                action: chunkAction,
              }),
      };
      const outcome = !(deno && takesSmallFilePath(request))
        ? await syncFile(request)
        : files.smallFiles
          ? await files.smallFiles.copy(request)
          : await syncSmallFile(request, deno);
      counters.bytesRead += outcome.bytesRead;
      counters.bytesWritten += outcome.bytesWritten;
      counters.chunksWritten += outcome.chunksWritten;
      counters.chunksReused += outcome.chunksReused;
      if (action === 'copied') counters.filesCopied++;
      else counters.filesUpdated++;
      if (outcome.ownerKept && source.owner) {
        // What the job's own owner step would lstat and find already right.
        const { size, mtimeMs, mode, owner } = source;
        files.targetStats.set(entry, { kind: 'file', size, mtimeMs, mode, uid: owner.uid, gid: owner.gid });
      }
      const record = recordOf(files, source, outcome.hash, outcome.chunks);
      files.cargo?.put(record);
      await reportFileDone(context, job.name, source, action, outcome);
      return record;
    } catch (error) {
      // A file deleted from the source after the scan saw it is not a failure; say so and go on.
      if (
        isOrbitError(error) &&
        error.code === 'PATH_NOT_FOUND' &&
        !(await lstatOrUndefined(join(job.source, entry.path)))
      ) {
        counters.filesSkipped++;
        files.skipped.push({ path: entry.path, message: 'vanished from the source during the run' });
        await fileDone(files, entry, 'skipped');
        return undefined;
      }
      if (!(error instanceof SourceChangedError) || attempt >= MAX_FILE_ATTEMPTS) throw error;
      files.retries++;
      const fresh = await lstatOrUndefined(join(job.source, entry.path));
      if (!fresh?.isFile()) throw error;
      source = { ...entry, size: fresh.size, mtimeMs: fresh.mtimeMs, mode: fresh.mode & 0o7777 };
    }
  }
}

/** A later name of a file the job already copied becomes a hard link to that copy. */
export async function linkFileEntry(
  files: JobFiles,
  entry: ScanEntry,
  target: string,
  leader: LinkLeader,
): Promise<void> {
  const { job, counters } = files;
  await files.kinds.makeWay(entry);
  if (files.context.dryRun) {
    counters.filesCopied++;
    await fileDone(files, entry, 'linked');
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
    await copyFileEntry(files, entry, target);
    return;
  }
  if (outcome === 'linked') {
    counters.filesCopied++;
    files.dirsToSync.add(dirname(target));
  } else counters.filesUnchanged++;
  const record: CargoRecord = { ...leaderRecord, path: entry.path };
  files.cargo?.put(record);
  await fileDone(files, entry, outcome, record);
}
