import { type FileHandle, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openForAppend } from '@orbit/engine/files/append-file';
import type { PackHashAlgorithm } from '@orbit/engine/pack/pack-format';
import { type SnapshotEntry, snapshotEntrySchema } from '@orbit/engine/pack/snapshot';
import { isErrno, writeFileAtomic } from '@orbit/engine/transfer/atomic-file';
import { z } from 'zod';
import { checkedJson, checkedLine, stateFileName } from '../data-plane/state-lines.ts';

/** How an archive job's store was opened for its run: what a restarted Star reopens it with. */
export interface ArchiveRunHead {
  /** The job's destination as the Nucleus named it; resolved through the jail again on reopen. */
  readonly destinationPath: string;
  readonly algorithm: PackHashAlgorithm;
  /** 0: the engine's default. */
  readonly packSize: number;
}

/** A run a previous life of this Star left open: its head, its entries, and its journal to go on with. */
export interface ArchiveRun {
  readonly head: ArchiveRunHead;
  readonly entries: readonly SnapshotEntry[];
  readonly journal: ArchiveRunJournal;
}

const headSchema = z.object({
  t: z.literal('run'),
  jobId: z.string(),
  destinationPath: z.string(),
  algorithm: z.enum(['blake3', 'sha256']),
  packSize: z.number().int().nonnegative(),
});
const entrySchema = z.object({ t: z.literal('entry'), entry: snapshotEntrySchema });

/**
 * `<stateDir>/data-plane/<sha256(job id)>.archive.jsonl`: the head an archive job's store was opened
 * with for its run, then each entry the run recorded, appended before the sender hears the file
 * arrived. A Star killed mid-run reopens the store from it and keeps the files its senders will not
 * send again. Lines are checked on read; a damaged one ends what is trusted (the file it named was
 * never confirmed, so its sender sends it again).
 */
export class ArchiveRunJournal {
  readonly #path: string;
  #handle: Promise<FileHandle> | undefined;
  #writing: Promise<void> = Promise.resolve();

  private constructor(path: string) {
    this.#path = path;
  }

  /** A new run of the job: its head replaces whatever an earlier run left. */
  static async start(stateDir: string, jobId: string, head: ArchiveRunHead): Promise<ArchiveRunJournal> {
    const path = journalPath(stateDir, jobId);
    await mkdir(join(stateDir, 'data-plane'), { recursive: true, mode: 0o700 });
    await writeFileAtomic(path, checkedLine({ t: 'run', jobId, ...head }));
    return new ArchiveRunJournal(path);
  }

  /** The run a previous life of this Star left open for the job, or undefined when there is none. */
  static async load(stateDir: string, jobId: string): Promise<ArchiveRun | undefined> {
    const path = journalPath(stateDir, jobId);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    }
    const [first = '', ...rest] = text.split('\n');
    const head = headSchema.safeParse(checkedJson(first));
    if (!head.success || head.data.jobId !== jobId) return undefined;
    const entries: SnapshotEntry[] = [];
    for (const line of rest) {
      const parsed = entrySchema.safeParse(checkedJson(line));
      if (!parsed.success) break;
      entries.push(parsed.data.entry);
    }
    const { t: _t, jobId: _jobId, ...fields } = head.data;
    return { head: fields, entries, journal: new ArchiveRunJournal(path) };
  }

  /** Appends one entry; appends go out in call order. */
  append(entry: SnapshotEntry): Promise<void> {
    const write = async () => {
      this.#handle ??= openForAppend(this.#path);
      await (await this.#handle).write(checkedLine({ t: 'entry', entry }));
    };
    this.#writing = this.#writing.then(write, write);
    return this.#writing;
  }

  /** Stops appending; the file stays for the Star's next life. */
  async close(): Promise<void> {
    await this.#writing.catch(() => undefined);
    const handle = this.#handle;
    this.#handle = undefined;
    await (await handle?.catch(() => undefined))?.close();
  }

  /** The run's snapshot is written: nothing is left to reopen. */
  async remove(): Promise<void> {
    await this.close();
    await rm(this.#path, { force: true });
  }

  /** Forgets the job's run without opening anything (the job is now received as files). */
  static async discard(stateDir: string, jobId: string): Promise<void> {
    await rm(journalPath(stateDir, jobId), { force: true });
  }
}

function journalPath(stateDir: string, jobId: string): string {
  return join(stateDir, 'data-plane', stateFileName(jobId, 'archive.jsonl'));
}
