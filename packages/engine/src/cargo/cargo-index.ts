import { Buffer } from 'node:buffer';
import { type FileHandle, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { OrbitError } from '../errors.ts';
import { openForAppend } from '../files/append-file.ts';
import { isErrno, writeFileAtomic } from '../transfer/atomic-file.ts';
import { TaskPool } from '../transfer/task-pool.ts';
import { CARGO_FOLDER, type CargoRecord, cargoRecordSchema } from './cargo-schema.ts';
import { listCargoPaths, readCargoRecord } from './cargo-store.ts';

/**
 * A run keeps a job's cargo records in one JSON Lines file per job (`cargo.jsonl`, one record per
 * line, sorted by path) instead of one file per path: a re-sync of 20 000 unchanged files then
 * reads one file instead of opening 20 000, and a first copy creates no second file per file.
 * While a run goes, changed records are appended to `cargo.log.jsonl`; the run's end folds them
 * into a new `cargo.jsonl` (atomic rename) and removes the log. A run that was killed leaves its
 * log, which the next load replays, so records of files it finished are not lost.
 */
export const CARGO_INDEX_FILE = 'cargo.jsonl';
export const CARGO_INDEX_LOG = 'cargo.log.jsonl';

/** A log line that drops a path (a mirror deleted it); every other line is a full record. */
const removalSchema = z.strictObject({ removed: z.string().min(1) });

/** Per-file records of a folder without an index read at once. */
const PARALLEL_READS = 32;

/** Appended lines are buffered up to this size: the log is a cache, a lost tail only costs a re-read. */
const LOG_BUFFER_BYTES = 256 * 1024;

export class JobCargoIndex {
  readonly manifestDir: string;
  readonly #records: Map<string, CargoRecord>;
  #pending: string[] = [];
  #pendingBytes = 0;
  #log: FileHandle | undefined;
  #writing: Promise<void> = Promise.resolve();
  /** Per-file records of an older layout, folded in and deleted at `finish`. */
  readonly #legacy: boolean;

  private constructor(manifestDir: string, records: Map<string, CargoRecord>, legacy: boolean) {
    this.manifestDir = manifestDir;
    this.#records = records;
    this.#legacy = legacy;
  }

  /**
   * Loads `cargo.jsonl` plus the log of an interrupted run (later lines win), or the per-file
   * records of a manifest folder without an index. A damaged line is an error naming file and line;
   * only a torn last line of the log (the process died mid-write) is dropped.
   */
  static async load(manifestDir: string): Promise<JobCargoIndex> {
    const records = new Map<string, CargoRecord>();
    const indexText = await readOptional(join(manifestDir, CARGO_INDEX_FILE));
    let legacy = false;
    if (indexText === undefined) {
      // Many at once: each is an open, a read and a close, mostly waiting (20 000: 5.5 s one by one).
      const reads = new TaskPool(PARALLEL_READS);
      try {
        for (const path of await listCargoPaths(manifestDir)) {
          legacy = true;
          await reads.run(1, async () => {
            const record = await readCargoRecord(manifestDir, path);
            if (record) records.set(record.path, record);
          });
        }
        await reads.drain();
      } finally {
        await reads.settle();
      }
    } else {
      replay(records, indexText, join(manifestDir, CARGO_INDEX_FILE), false);
    }
    const logText = await readOptional(join(manifestDir, CARGO_INDEX_LOG));
    if (logText !== undefined) replay(records, logText, join(manifestDir, CARGO_INDEX_LOG), true);
    return new JobCargoIndex(manifestDir, records, legacy);
  }

  get size(): number {
    return this.#records.size;
  }

  get(path: string): CargoRecord | undefined {
    return this.#records.get(path);
  }

  /** Stores `record`; only a record that differs from the one held is logged. */
  put(record: CargoRecord): void {
    const current = this.#records.get(record.path);
    if (current !== undefined && sameRecord(current, record)) return;
    this.#records.set(record.path, record);
    this.#append(JSON.stringify(record));
  }

  remove(path: string): void {
    if (!this.#records.delete(path)) return;
    this.#append(JSON.stringify({ removed: path }));
  }

  /** Writes buffered log lines (they survive the process dying, not a power loss). */
  flush(): Promise<void> {
    if (this.#pending.length === 0) return this.#writing;
    const text = `${this.#pending.join('\n')}\n`;
    this.#pending = [];
    this.#pendingBytes = 0;
    const write = this.#writing.then(async () => {
      if (this.#log === undefined) {
        await mkdir(this.manifestDir, { recursive: true });
        this.#log = await openForAppend(join(this.manifestDir, CARGO_INDEX_LOG));
      }
      await this.#log.write(Buffer.from(text, 'utf8'));
    });
    this.#writing = write;
    return write;
  }

  /**
   * Ends a run: drops paths the source no longer has (when `seen` is complete), writes the new
   * `cargo.jsonl` and removes the log and any per-file records. Returns the records, sorted by path.
   */
  async finish(seen: ReadonlySet<string> | undefined): Promise<CargoRecord[]> {
    if (seen) {
      for (const path of [...this.#records.keys()]) if (!seen.has(path)) this.#records.delete(path);
    }
    await this.close();
    const records = [...this.#records.values()].sort(byPath);
    const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
    await mkdir(this.manifestDir, { recursive: true });
    await writeFileAtomic(join(this.manifestDir, CARGO_INDEX_FILE), text, { durable: false });
    await rm(join(this.manifestDir, CARGO_INDEX_LOG), { force: true });
    if (this.#legacy) await rm(join(this.manifestDir, CARGO_FOLDER), { recursive: true, force: true });
    return records;
  }

  /** Flushes and closes the log; the records stay loaded. */
  async close(): Promise<void> {
    await this.flush();
    const log = this.#log;
    this.#log = undefined;
    await log?.close();
  }

  all(): CargoRecord[] {
    return [...this.#records.values()];
  }

  #append(line: string): void {
    this.#pending.push(line);
    this.#pendingBytes += line.length + 1;
    if (this.#pendingBytes >= LOG_BUFFER_BYTES) {
      // Awaited by the next flush or close; this only keeps a failure from going unobserved.
      this.flush().catch(() => undefined);
    }
  }
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw new OrbitError('IO', `cannot read cargo index: ${String(error)}`, { file, cause: error });
  }
}

function replay(records: Map<string, CargoRecord>, text: string, file: string, isLog: boolean): void {
  const lines = text.split('\n');
  // A file that does not end in a newline was cut mid-line; only the log is written that way.
  const tornTail = lines.at(-1) !== '';
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    const last = index === lines.length - 1;
    const corrupt = (why: string): OrbitError =>
      new OrbitError('CORRUPT', `cargo index line ${index + 1} is invalid: ${why}`, {
        file,
        line: index + 1,
        hint: 'delete the file: the next run rebuilds it by re-reading the destination',
      });
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (isLog && last && tornTail) return;
      throw corrupt('not JSON');
    }
    // Only removals carry `removed`: a record line is not first tried (and failed) as one.
    const removal =
      typeof value === 'object' && value !== null && 'removed' in value
        ? removalSchema.safeParse(value)
        : undefined;
    if (removal?.success) {
      records.delete(removal.data.removed);
      continue;
    }
    const parsed = cargoRecordSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw corrupt(`${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'unknown problem'}`);
    }
    records.set(parsed.data.path, parsed.data);
  }
}

/**
 * Every cargo record of a manifest folder, sorted by path: from `cargo.jsonl` (a run's state) or
 * from `cargo/<path>.cargo.json` files (`orbit manifest plan --output`).
 */
export async function readAllCargoRecords(manifestDir: string): Promise<CargoRecord[]> {
  const index = await JobCargoIndex.load(manifestDir);
  return index.all().sort(byPath);
}

/** Field by field: a re-sync of an unchanged tree compares a record per file, and stringifying both cost more. */
function sameRecord(a: CargoRecord, b: CargoRecord): boolean {
  if (
    a.version !== b.version ||
    a.kind !== b.kind ||
    a.size !== b.size ||
    a.mtimeMs !== b.mtimeMs ||
    a.mode !== b.mode ||
    a.hash !== b.hash ||
    a.algorithm !== b.algorithm ||
    a.linkTarget !== b.linkTarget ||
    a.chunks.length !== b.chunks.length ||
    Object.keys(a).length !== Object.keys(b).length
  ) {
    return false;
  }
  return a.chunks.every((chunk, index) => {
    const other = b.chunks[index];
    return chunk.offset === other?.offset && chunk.length === other.length && chunk.hash === other.hash;
  });
}

function byPath(a: CargoRecord, b: CargoRecord): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
