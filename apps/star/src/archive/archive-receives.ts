import type { PackHashAlgorithm } from '@orbit/engine/pack/pack-format';
import type { SnapshotEntry } from '@orbit/engine/pack/snapshot';
import type {
  ArchiveReceive__Output,
  CommandResult,
  ExpectedFile__Output,
  FileEntry__Output,
  FinishArchive__Output,
  PushedFile,
} from '@orbit/proto';
import { CommandRefusal } from '../agent/command-error.ts';
import { isPlainRelative } from '../agent/remove-paths.ts';
import { DataPlaneError } from '../data-plane/data-plane-error.ts';
import type { OpenIncoming } from '../data-plane/incoming-target.ts';
import { IncomingArchiveFile } from './incoming-archive-file.ts';
import { OpenArchive } from './open-archive.ts';

const ALGORITHMS: Partial<Record<ArchiveReceive__Output['algorithm'], PackHashAlgorithm>> = {
  HASH_ALGORITHM_BLAKE3: 'blake3',
  HASH_ALGORITHM_SHA256: 'sha256',
};

/**
 * The archive jobs this Star receives: each one's store is opened (and locked) by PrepareReceive,
 * fed by the data plane, and closed by the last FinishArchive, which writes the run's snapshot.
 */
export class ArchiveReceives {
  readonly #open = new Map<string, { readonly dir: string; readonly archive: Promise<OpenArchive> }>();

  /** Opens the store at `dir` (a jail-resolved real path) for a new attempt of the job's run. */
  async prepare(jobId: string, dir: string, spec: ArchiveReceive__Output): Promise<void> {
    const algorithm = ALGORITHMS[spec.algorithm];
    if (!algorithm)
      throw new CommandRefusal(
        'ERROR_CODE_INVALID_ARGUMENT',
        `hash algorithm ${spec.algorithm} cannot address archive chunks`,
        'send HASH_ALGORITHM_BLAKE3 or HASH_ALGORITHM_SHA256',
      );
    // A new attempt starts its entries afresh: every file is pushed again (its chunks are not).
    await this.#close(jobId);
    const archive = OpenArchive.open(dir, algorithm, spec.packSize);
    this.#open.set(jobId, { dir, archive });
    archive.catch(() => this.#open.delete(jobId));
    const opened = await archive;
    if (opened.store.hashAlgorithm !== algorithm) {
      await this.#close(jobId);
      throw new CommandRefusal(
        'ERROR_CODE_FAILED_PRECONDITION',
        `the archive at ${dir} addresses chunks by ${opened.store.hashAlgorithm}, the job uses ${algorithm}`,
        `set the job's checksum to ${opened.store.hashAlgorithm}, or archive into a new folder`,
      );
    }
  }

  /** The data plane's way into the job's store. */
  incoming(jobId: string): OpenIncoming {
    return async (begin, ctx) => {
      const open = this.#open.get(jobId);
      if (open === undefined) {
        throw new DataPlaneError('io', `the archive of job ${jobId} is not open on this Star`, {
          path: begin.path,
          hint: 'this Star restarted since the run was prepared; run the job again',
        });
      }
      return IncomingArchiveFile.open(begin, ctx, await open.archive);
    };
  }

  /**
   * For `PrepareReceive.add_files`: records the expected files the job's latest snapshot holds
   * unchanged and returns them as outcomes, so the Nucleus has the source skip reading them.
   */
  async keepUnchanged(
    jobId: string,
    dir: string,
    jobName: string,
    files: readonly ExpectedFile__Output[],
  ): Promise<PushedFile[]> {
    const open = this.#open.get(jobId);
    if (open === undefined || open.dir !== dir) {
      throw new CommandRefusal(
        'ERROR_CODE_FAILED_PRECONDITION',
        `the archive of job ${jobId} at ${dir} is not open on this Star`,
        'prepare the run first (PrepareReceive without add_files); this Star may have restarted',
      );
    }
    const stats = files.map((file) => {
      if (!isPlainRelative(file.path))
        throw new CommandRefusal(
          'ERROR_CODE_INVALID_ARGUMENT',
          `expected file ${JSON.stringify(file.path)} must be relative to the destination without "..", "." or empty parts`,
        );
      return { path: file.path, size: Number(file.size), mtimeMs: Number(file.mtimeUnixMs), mode: file.mode };
    });
    const kept = await (await open.archive).keepUnchanged(jobName, stats);
    return kept.map((entry) => ({
      path: entry.path,
      status: 'unchanged',
      hash: entry.hash,
      reason: '',
      message: '',
      size: entry.size,
    }));
  }

  async finish(command: FinishArchive__Output, dir: string): Promise<CommandResult> {
    const open = this.#open.get(command.jobId);
    if (open === undefined || open.dir !== dir) {
      throw new CommandRefusal(
        'ERROR_CODE_FAILED_PRECONDITION',
        `the archive of job ${command.jobId} at ${command.destinationPath} is not open on this Star`,
        'this Star restarted since the run was prepared; run the job again',
      );
    }
    const archive = await open.archive;
    for (const entry of command.entries) {
      const recorded = snapshotEntryOf(entry);
      if (recorded) archive.record(recorded);
    }
    if (!command.last) return { finishArchive: { snapshotId: '', files: 0, chunks: 0 } };
    try {
      const files = archive.files().length;
      if (files < command.filesExpected) {
        throw new CommandRefusal(
          'ERROR_CODE_ABORTED',
          `the archive recorded ${files} of the ${command.filesExpected} files the pushes confirmed; no snapshot was written`,
          'the Star restarted during the run; run the job again (stored chunks are not sent again)',
        );
      }
      const written = await archive.writeSnapshot({
        jobName: command.jobName,
        runId: command.runId,
        sourcePath: command.sourcePath,
        failures: command.failures.map((failure) => ({ path: failure.path, message: failure.message })),
      });
      return { finishArchive: { snapshotId: written.id, files: written.files, chunks: written.chunks } };
    } finally {
      await this.#close(command.jobId);
    }
  }

  /** Closes the job's store, if open (the job was prepared again as another mode). */
  release(jobId: string): Promise<void> {
    return this.#close(jobId);
  }

  async closeAll(): Promise<void> {
    for (const jobId of [...this.#open.keys()]) await this.#close(jobId);
  }

  async #close(jobId: string): Promise<void> {
    const open = this.#open.get(jobId);
    if (open === undefined) return;
    this.#open.delete(jobId);
    await (await open.archive.catch(() => undefined))?.close();
  }
}

function snapshotEntryOf(entry: FileEntry__Output): SnapshotEntry | undefined {
  if (entry.path.startsWith('/') || entry.path.split('/').some((part) => part === '..' || part === ''))
    throw new CommandRefusal(
      'ERROR_CODE_INVALID_ARGUMENT',
      `entry path ${JSON.stringify(entry.path)} must be relative to the source root without ".."`,
    );
  const base = { path: entry.path, mode: entry.mode, mtime_ms: entry.mtimeUnixMs };
  if (entry.kind === 'ENTRY_KIND_DIRECTORY') return { kind: 'dir', ...base };
  if (entry.kind === 'ENTRY_KIND_SYMLINK') return { kind: 'symlink', ...base, target: entry.linkTarget };
  return undefined;
}
