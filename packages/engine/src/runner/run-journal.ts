import { createHash } from 'node:crypto';
import { type FileHandle, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { openForAppend } from '../files/append-file.ts';
import { fsyncDirectory, isErrno } from '../transfer/atomic-file.ts';
import type { ChunkRef } from '../transfer/chunk-pass.ts';
import type { FileJournal, FileResumePoint } from '../transfer/file-journal.ts';

/**
 * The resume journal: `<stateDir>/journal/current.jsonl`, append-only, one record per line as
 * `<sha256-prefix> <json>`, so a torn or edited line is detected. Durability: the `run`/`resume`
 * lines, every job end and every chunk checkpoint are fsync'ed (a transfer fdatasyncs its temp
 * file before it checkpoints). Only files that reach a checkpoint are journalled; smaller ones are
 * simply redone, and finished ones are found unchanged by the next scan.
 */
const JOURNAL_FOLDER = 'journal';
const CURRENT = 'current.jsonl';
const LAST_RUN = 'last-run.jsonl';

const chunkTuple = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), z.string()]);
const recordSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('run'), runId: z.string(), fingerprint: z.string(), startedAt: z.string() }),
  z.object({ t: z.literal('resume'), runId: z.string(), at: z.string() }),
  z.object({ t: z.literal('job'), job: z.string(), status: z.string() }),
  z.object({
    t: z.literal('file'),
    job: z.string(),
    path: z.string(),
    temp: z.string(),
    size: z.number(),
    mtimeMs: z.number(),
  }),
  z.object({ t: z.literal('chunks'), job: z.string(), path: z.string(), chunks: z.array(chunkTuple) }),
  z.object({ t: z.literal('file-done'), job: z.string(), path: z.string() }),
]);
type JournalRecord = z.infer<typeof recordSchema>;

function lineOf(record: JournalRecord): string {
  const json = JSON.stringify(record);
  return `${checksum(json)} ${json}\n`;
}

function checksum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

interface LoadedRun {
  readonly runId: string;
  readonly fingerprint: string;
  readonly finished: Map<string, string>;
  readonly inFlight: Map<string, FileResumePoint & { job: string }>;
}

type LoadResult = { kind: 'none' } | { kind: 'ok'; run: LoadedRun } | { kind: 'corrupt'; line: number };

function parseJournal(text: string): LoadResult {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) return { kind: 'none' };
  let run: LoadedRun | undefined;
  const key = (job: string, path: string): string => `${job}\u0000${path}`;
  for (const [index, line] of lines.entries()) {
    const space = line.indexOf(' ');
    const json = line.slice(space + 1);
    let record: JournalRecord;
    try {
      if (space !== 16 || checksum(json) !== line.slice(0, 16)) throw new Error('checksum');
      record = recordSchema.parse(JSON.parse(json));
    } catch {
      return { kind: 'corrupt', line: index + 1 };
    }
    if (index === 0) {
      if (record.t !== 'run') return { kind: 'corrupt', line: 1 };
      run = {
        runId: record.runId,
        fingerprint: record.fingerprint,
        finished: new Map(),
        inFlight: new Map(),
      };
      continue;
    }
    if (!run) return { kind: 'corrupt', line: index + 1 };
    if (record.t === 'job') run.finished.set(record.job, record.status);
    else if (record.t === 'file') {
      const { job, path, temp, size, mtimeMs } = record;
      run.inFlight.set(key(job, path), { job, temp, size, mtimeMs, chunks: [] });
    } else if (record.t === 'chunks') {
      const point = run.inFlight.get(key(record.job, record.path));
      if (!point) return { kind: 'corrupt', line: index + 1 };
      const added = record.chunks.map(([offset, length, hash]) => ({ offset, length, hash }));
      run.inFlight.set(key(record.job, record.path), { ...point, chunks: [...point.chunks, ...added] });
    } else if (record.t === 'file-done') run.inFlight.delete(key(record.job, record.path));
  }
  return run ? { kind: 'ok', run } : { kind: 'none' };
}

export interface OpenJournalResult {
  readonly journal: RunJournal;
  /** The unfinished run this one continues. */
  readonly resumedFrom?: string;
  /** Anything the user should hear about the previous journal (corrupt, other manifest). */
  readonly note?: string;
}

export class RunJournal {
  readonly #dir: string;
  readonly #handle: FileHandle;
  readonly #previous: LoadedRun | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(dir: string, handle: FileHandle, previous: LoadedRun | undefined) {
    this.#dir = dir;
    this.#handle = handle;
    this.#previous = previous;
  }

  /**
   * Opens the journal for a run of the manifest with `fingerprint`: continues an unfinished run of
   * the same manifest, or starts a new journal. A corrupt journal, or one of another manifest, is
   * moved aside (never reset in place) and named in `note`.
   */
  static async open(stateDir: string, fingerprint: string, runId: string): Promise<OpenJournalResult> {
    const dir = join(stateDir, JOURNAL_FOLDER);
    await mkdir(dir, { recursive: true });
    const current = join(dir, CURRENT);
    let text = '';
    try {
      text = await readFile(current, 'utf8');
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
    }
    const loaded = parseJournal(text);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    let note: string | undefined;
    if (loaded.kind === 'corrupt') {
      const aside = join(dir, `corrupt-${stamp}.jsonl`);
      await rename(current, aside);
      note = `the resume journal was corrupt at line ${loaded.line}; it was moved to ${aside} and this run starts over (files already in place are found unchanged)`;
    } else if (loaded.kind === 'ok' && loaded.run.fingerprint !== fingerprint) {
      const aside = join(dir, `other-manifest-${loaded.run.runId}.jsonl`);
      await rename(current, aside);
      // Its temp files are ours and no longer resumable: remove them rather than leave them behind.
      for (const point of loaded.run.inFlight.values()) await rm(point.temp, { force: true });
      note = `an unfinished run (${loaded.run.runId}) was for a different manifest, so it was not resumed; its journal was moved to ${aside}`;
    }
    const previous = loaded.kind === 'ok' && loaded.run.fingerprint === fingerprint ? loaded.run : undefined;
    const handle = await openForAppend(current);
    const journal = new RunJournal(dir, handle, previous);
    const now = new Date().toISOString();
    await journal.#append(
      previous ? { t: 'resume', runId, at: now } : { t: 'run', runId, fingerprint, startedAt: now },
      true,
    );
    if (!previous) await fsyncDirectory(dir);
    return {
      journal,
      ...(previous ? { resumedFrom: previous.runId } : {}),
      ...(note ? { note } : {}),
    };
  }

  /** The status a job reached in the interrupted run this one resumes, if it finished there. */
  finishedBefore(job: string): string | undefined {
    return this.#previous?.finished.get(job);
  }

  async jobFinished(job: string, status: string): Promise<void> {
    await this.#append({ t: 'job', job, status }, true);
  }

  /** The per-file view one job's transfers use. */
  forJob(job: string): FileJournal {
    const started = new Map<string, { temp: string; size: number; mtimeMs: number }>();
    const written = new Set<string>();
    const previous = this.#previous;
    return {
      resumePoint: (path) => {
        const point = previous?.inFlight.get(`${job}\u0000${path}`);
        return point
          ? { temp: point.temp, size: point.size, mtimeMs: point.mtimeMs, chunks: point.chunks }
          : undefined;
      },
      fileStarted: async (path, info) => {
        started.set(path, info);
      },
      checkpoint: async (path, chunks: readonly ChunkRef[]) => {
        const info = started.get(path);
        if (info && !written.has(path)) {
          written.add(path);
          await this.#append({ t: 'file', job, path, ...info }, false);
        }
        const tuples = chunks.map((chunk): [number, number, string] => [
          chunk.offset,
          chunk.length,
          chunk.hash,
        ]);
        await this.#append({ t: 'chunks', job, path, chunks: tuples }, true);
      },
      fileFinished: async (path) => {
        started.delete(path);
        if (written.delete(path)) await this.#append({ t: 'file-done', job, path }, false);
      },
    };
  }

  /**
   * The run finished: keep its journal as `last-run.jsonl` so the next run is a fresh sync, and
   * remove temp files the interrupted run left that this one did not take over (e.g. excluded since).
   */
  async complete(): Promise<void> {
    await this.#queue;
    await this.#handle.close();
    for (const point of this.#previous?.inFlight.values() ?? []) await rm(point.temp, { force: true });
    await rename(join(this.#dir, CURRENT), join(this.#dir, LAST_RUN));
    await fsyncDirectory(this.#dir);
  }

  /** Interrupted or failed: leave the journal for the next run to resume from. */
  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
    await this.#handle.sync().catch(() => undefined);
    await this.#handle.close();
  }

  #append(record: JournalRecord, durable: boolean): Promise<void> {
    const next = this.#queue.then(async () => {
      await this.#handle.write(lineOf(record));
      if (durable) await this.#handle.datasync();
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
