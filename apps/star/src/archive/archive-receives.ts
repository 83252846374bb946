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
import { ArchiveRunJournal } from './archive-run-journal.ts';
import { IncomingArchiveFile } from './incoming-archive-file.ts';
import { OpenArchive } from './open-archive.ts';

const ALGORITHMS: Partial<Record<ArchiveReceive__Output['algorithm'], PackHashAlgorithm>> = {
  HASH_ALGORITHM_BLAKE3: 'blake3',
  HASH_ALGORITHM_SHA256: 'sha256',
};

interface Opened {
  readonly dir: string;
  readonly archive: Promise<OpenArchive>;
}

export interface ArchiveReceivesOptions {
  /** Where each run's journal lives (`<stateDir>/data-plane/`). */
  readonly stateDir: string;
  /** A destination resolved for writing through the Star's jail: its real path. */
  readonly resolveDestination: (path: string) => Promise<string>;
  readonly log: (line: string) => void;
}

/**
 * The archive jobs this Star receives: each one's store is opened (and locked) by PrepareReceive,
 * fed by the data plane, and closed by the last FinishArchive, which writes the run's snapshot.
 * A Star that restarted mid-run reopens a job's store from its run journal when it is next needed.
 */
export class ArchiveReceives {
  readonly #open = new Map<string, Opened | Promise<Opened | undefined>>();
  readonly #options: ArchiveReceivesOptions;

  constructor(options: ArchiveReceivesOptions) {
    this.#options = options;
  }

  /** Opens the store at `destination` (`realPath` resolved by the jail) for a new attempt of the job's run. */
  async prepare(
    jobId: string,
    destination: { readonly path: string; readonly realPath: string },
    spec: ArchiveReceive__Output,
  ): Promise<void> {
    const algorithm = ALGORITHMS[spec.algorithm];
    if (!algorithm)
      throw new CommandRefusal(
        'ERROR_CODE_INVALID_ARGUMENT',
        `hash algorithm ${spec.algorithm} cannot address archive chunks`,
        'send HASH_ALGORITHM_BLAKE3 or HASH_ALGORITHM_SHA256',
      );
    // A new attempt starts its entries afresh: every file is pushed again (its chunks are not).
    await this.#close(jobId);
    const dir = destination.realPath;
    const archive = OpenArchive.open(dir, this.#options.stateDir, jobId, {
      destinationPath: destination.path,
      algorithm,
      packSize: spec.packSize,
    });
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
      const open = await this.#opened(jobId);
      if (open === undefined) {
        throw new DataPlaneError('io', `the archive of job ${jobId} is not open on this Star`, {
          path: begin.path,
          hint: 'this Star lost the run it was prepared for; run the job again',
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
    const open = await this.#opened(jobId);
    if (open === undefined || open.dir !== dir) {
      throw new CommandRefusal(
        'ERROR_CODE_FAILED_PRECONDITION',
        `the archive of job ${jobId} at ${dir} is not open on this Star`,
        'prepare the run first (PrepareReceive without add_files)',
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
    const open = await this.#opened(command.jobId);
    if (open === undefined || open.dir !== dir) {
      throw new CommandRefusal(
        'ERROR_CODE_FAILED_PRECONDITION',
        `the archive of job ${command.jobId} at ${command.destinationPath} is not open on this Star`,
        'this Star lost the run it was prepared for; run the job again',
      );
    }
    const archive = await open.archive;
    for (const entry of command.entries) {
      const recorded = snapshotEntryOf(entry);
      if (recorded) await archive.record(recorded);
    }
    if (!command.last) return { finishArchive: { snapshotId: '', files: 0, chunks: 0 } };
    try {
      const files = archive.files().length;
      if (files < command.filesExpected) {
        throw new CommandRefusal(
          'ERROR_CODE_ABORTED',
          `the archive recorded ${files} of the ${command.filesExpected} files the pushes confirmed; no snapshot was written`,
          'the Star lost files it had confirmed (a crash of its machine during the run); run the job again (stored chunks are not sent again)',
        );
      }
      const written = await archive.writeSnapshot({
        jobName: command.jobName,
        runId: command.runId,
        sourcePath: command.sourcePath,
        failures: command.failures.map((failure) => ({ path: failure.path, message: failure.message })),
      });
      await archive.journal.remove();
      return { finishArchive: { snapshotId: written.id, files: written.files, chunks: written.chunks } };
    } finally {
      await this.#close(command.jobId);
    }
  }

  /** Closes the job's store, if open, and forgets its run (the job was prepared again as another mode). */
  async release(jobId: string): Promise<void> {
    await this.#close(jobId);
    await ArchiveRunJournal.discard(this.#options.stateDir, jobId);
  }

  async closeAll(): Promise<void> {
    for (const jobId of [...this.#open.keys()]) await this.#close(jobId);
  }

  /** The job's open store, reopened from its run journal when this Star restarted since it was prepared. */
  async #opened(jobId: string): Promise<Opened | undefined> {
    const known = this.#open.get(jobId);
    if (known !== undefined) return known;
    const reopening = this.#reopen(jobId);
    this.#open.set(jobId, reopening);
    const opened = await reopening.catch((error: unknown) => {
      this.#open.delete(jobId);
      throw error;
    });
    if (opened === undefined) this.#open.delete(jobId);
    else this.#open.set(jobId, opened);
    return opened;
  }

  async #reopen(jobId: string): Promise<Opened | undefined> {
    const { stateDir, resolveDestination, log } = this.#options;
    const run = await ArchiveRunJournal.load(stateDir, jobId);
    if (run === undefined) return undefined;
    const dir = await resolveDestination(run.head.destinationPath);
    const reopened = await OpenArchive.reopen(dir, run);
    const files = reopened.archive.files().length;
    log(
      `archive of job ${jobId} reopened: ${files} files of the run kept` +
        (reopened.dropped > 0 ? `, ${reopened.dropped} dropped (their chunks are not in the store)` : ''),
    );
    return { dir, archive: Promise.resolve(reopened.archive) };
  }

  async #close(jobId: string): Promise<void> {
    const open = await Promise.resolve(this.#open.get(jobId)).catch(() => undefined);
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
