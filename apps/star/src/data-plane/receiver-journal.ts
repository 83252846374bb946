import { mkdir, readFile, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { openForAppend } from '@orbit/engine/files/append-file';
import { isErrno, writeFileAtomic } from '@orbit/engine/transfer/atomic-file';
import type { ChunkRef } from '@orbit/engine/transfer/chunk-pass';
import { z } from 'zod';
import { checkedJson, checkedLine, stateFileName } from './state-lines.ts';

/** What the receiver was building: the file the sender announced and where its temp copy lives. */
export interface IncomingFileRecord {
  readonly target: string;
  readonly temp: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly hash: string;
  readonly algorithm: string;
}

export interface IncomingResumePoint extends IncomingFileRecord {
  /** Chunks recorded as durable in the temp file; re-hashed before they are trusted. */
  readonly chunks: readonly ChunkRef[];
}

const beginSchema = z.object({
  t: z.literal('begin'),
  target: z.string(),
  temp: z.string(),
  size: z.number(),
  mtimeMs: z.number(),
  hash: z.string(),
  algorithm: z.string(),
});
const chunksSchema = z.object({
  t: z.literal('chunks'),
  chunks: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), z.string()])),
});

/**
 * The receiver's resume journal: one file per target under `<stateDir>/data-plane/`, lines of
 * `<sha256 prefix> <json>`. A torn or damaged line ends what is trusted; since every recorded
 * chunk is re-hashed against the temp file before reuse, losing a line only costs a re-send.
 */
export class ReceiverJournal {
  readonly #dir: string;

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static async open(stateDir: string): Promise<ReceiverJournal> {
    const dir = join(stateDir, 'data-plane');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new ReceiverJournal(dir);
  }

  async load(target: string): Promise<IncomingResumePoint | undefined> {
    let text: string;
    try {
      text = await readFile(this.#fileFor(target), 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    }
    let record: IncomingFileRecord | undefined;
    const chunks: ChunkRef[] = [];
    for (const line of text.split('\n')) {
      const json = checkedJson(line);
      if (json === undefined) break;
      if (record === undefined) {
        const begin = beginSchema.safeParse(json);
        if (!begin.success || begin.data.target !== target) return undefined;
        const { t: _t, ...fields } = begin.data;
        record = fields;
        continue;
      }
      const parsed = chunksSchema.safeParse(json);
      if (!parsed.success) break;
      for (const [offset, length, hash] of parsed.data.chunks) chunks.push({ offset, length, hash });
    }
    return record && { ...record, chunks };
  }

  /** Starts a fresh record for `target`, replacing any earlier one. */
  async begin(record: IncomingFileRecord): Promise<void> {
    await writeFileAtomic(this.#fileFor(record.target), checkedLine({ t: 'begin', ...record }));
  }

  /** Appends chunks now durable in the temp file (the caller fdatasyncs it first). */
  async checkpoint(target: string, chunks: readonly ChunkRef[]): Promise<void> {
    if (chunks.length === 0) return;
    const handle = await openForAppend(this.#fileFor(target));
    try {
      await handle.write(
        checkedLine({ t: 'chunks', chunks: chunks.map((c) => [c.offset, c.length, c.hash]) }),
      );
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  /** Marks the journal as in use (a resume took it up): the state sweep goes by its mtime. */
  async touch(target: string): Promise<void> {
    const now = new Date();
    await utimes(this.#fileFor(target), now, now).catch(() => undefined);
  }

  async finish(target: string): Promise<void> {
    await rm(this.#fileFor(target), { force: true });
  }

  #fileFor(target: string): string {
    return join(this.#dir, stateFileName(target, 'jsonl'));
  }
}

/** The record a journal file starts with, or undefined when that line is damaged or not a record. */
export async function journalRecord(file: string): Promise<IncomingFileRecord | undefined> {
  const text = await readFile(file, 'utf8');
  const begin = beginSchema.safeParse(checkedJson(text.split('\n', 1)[0] ?? ''));
  if (!begin.success) return undefined;
  const { t: _t, ...record } = begin.data;
  return record;
}
