import { Buffer } from 'node:buffer';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OrbitError } from '../errors.ts';
import { blake3Algorithm } from '../hashing/blake3-algorithm.ts';
import type { IncrementalHash } from '../hashing/hash-algorithm.ts';
import { acquireLockFile, type StoreLock } from '../pack/store-lock.ts';
import { type AuditKey, linkAuditRecord, resolveAuditKey } from './audit-chain.ts';
import { type AuditEvent, type AuditRecord, auditEventSchema } from './audit-events.ts';
import { writeAuditAnchor } from './audit-head.ts';
import { hashWholeLog, resumeFromAnchor } from './audit-resume.ts';
import { verifyAuditLog } from './audit-verify.ts';

/**
 * Appends events to a JSON Lines audit log, continuing its HMAC chain. One writer per log: it holds
 * `<log>.lock` until `close()`; share the writer between concurrent jobs instead of opening twice.
 *
 * Durability rule: a line has reached the OS when its `append` resolves, so it survives the
 * process dying; it survives power loss once fsync'ed, which happens on `flush()`, `close()` and
 * automatically after every `job` and `run-end` event. The `.head` anchor is updated at each of
 * those fsyncs, so it never names a line that is not on disk. Lines appended while a write is in
 * flight go out together in the next `write` (no timer: nothing waits that would not have waited).
 */
export class AuditLogWriter {
  readonly path: string;
  readonly #key: Uint8Array;
  readonly #handle: FileHandle;
  readonly #lock: StoreLock;
  #last: { seq: number; mac: string } | null;
  /** The last line known to be written, and the log's length after it: what an anchor may name. */
  #written: { seq: number; mac: string } | null;
  #bytes: number;
  /** BLAKE3 over every byte of the log so far (its digest does not end it). */
  readonly #prefixHash: IncrementalHash;
  #anchored: number;
  #batch: string[] = [];
  #batchSyncs = false;
  #batchWrite: Promise<void> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #failure: unknown = null;
  #closed = false;

  private constructor(
    path: string,
    key: Uint8Array,
    handle: FileHandle,
    lock: StoreLock,
    last: AuditLogWriter['last'],
    bytes: number,
    prefixHash: IncrementalHash,
    anchored: number,
  ) {
    this.path = path;
    this.#key = key;
    this.#handle = handle;
    this.#lock = lock;
    this.#last = last;
    this.#written = last;
    this.#bytes = bytes;
    this.#prefixHash = prefixHash;
    this.#anchored = anchored;
  }

  /**
   * Opens `path` for appending, creating it if needed. An existing log must verify from its `.head`
   * anchor on (end to end when the anchor cannot vouch for a prefix; see audit-resume.ts);
   * otherwise this refuses with AUDIT_TAMPERED and leaves the file as it is.
   */
  static async open(path: string, key: AuditKey): Promise<AuditLogWriter> {
    const keyBytes = resolveAuditKey(key);
    await mkdir(dirname(path), { recursive: true });
    // A second writer, in this process or another, would fork the chain: one writer per log.
    const lock = await acquireLockFile(`${path}.lock`, `the audit log ${path}`);
    try {
      const handle = await open(path, 'a+');
      try {
        const { size } = await handle.stat();
        if (size === 0) {
          await checkEmptyLog(path, keyBytes);
          return new AuditLogWriter(path, keyBytes, handle, lock, null, 0, blake3Algorithm.create(), 0);
        }
        const resumed = await resumeFromAnchor(path, keyBytes, size);
        if (resumed) {
          const { last, prefixHash } = resumed;
          return new AuditLogWriter(path, keyBytes, handle, lock, last, size, prefixHash, last.seq);
        }
        const last = await checkExistingLog(path, keyBytes);
        // The anchor is rewritten with its prefix hash at the next sync, so the next open is quick.
        const prefixHash = await hashWholeLog(path, size);
        return new AuditLogWriter(path, keyBytes, handle, lock, last, size, prefixHash, -1);
      } catch (error) {
        await handle.close();
        throw error;
      }
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** The chain position of the last appended line (null for an empty log). */
  get last(): { readonly seq: number; readonly mac: string } | null {
    return this.#last;
  }

  /** Appends one event; concurrent calls are chained in call order. */
  append(event: AuditEvent): Promise<AuditRecord> {
    const checked = auditEventSchema.safeParse(event);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return Promise.reject(
        new OrbitError('INVALID_ARGUMENT', `invalid audit event: ${issue?.message ?? 'unknown problem'}`, {
          keyPath: issue?.path.join('.'),
          hint: 'build events with the fields of their schema in audit-events.ts',
        }),
      );
    }
    if (this.#closed || this.#failure !== null) return this.#enqueue(() => Promise.reject(this.#failure));
    const record = linkAuditRecord(this.#last, checked.data, this.#key);
    this.#last = { seq: record.seq, mac: record.mac };
    this.#batch.push(`${JSON.stringify(record)}\n`);
    if (record.type === 'job' || record.type === 'run-end') this.#batchSyncs = true;
    this.#batchWrite ??= this.#enqueue(() => this.#writeBatch());
    return this.#batchWrite.then(() => record);
  }

  async #writeBatch(): Promise<void> {
    const lines = this.#batch;
    const syncs = this.#batchSyncs;
    const last = this.#last;
    this.#batch = [];
    this.#batchSyncs = false;
    this.#batchWrite = undefined;
    await this.#writeLines(lines.join(''));
    this.#written = last;
    if (syncs) await this.#sync();
  }

  /** Makes every appended line durable and moves the `.head` anchor to the last one. */
  flush(): Promise<void> {
    return this.#enqueue(() => this.#sync());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.flush();
    } finally {
      this.#closed = true;
      await this.#handle.close();
      await this.#lock.release();
    }
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.#closed) {
        throw new OrbitError('INVALID_ARGUMENT', `audit log ${this.path} is closed`, {
          file: this.path,
          hint: 'open a new AuditLogWriter',
        });
      }
      // After a failed write the file may end in a torn line; appending more would bury it.
      if (this.#failure !== null) throw this.#failure;
      try {
        return await task();
      } catch (error) {
        this.#failure = error;
        throw error;
      }
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #writeLines(text: string): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    const { bytesWritten } = await this.#handle.write(bytes, 0, bytes.length);
    if (bytesWritten !== bytes.length) {
      throw new OrbitError(
        'IO',
        `short write to audit log ${this.path} (${bytesWritten} of ${bytes.length} bytes)`,
        {
          file: this.path,
          hint: 'check free disk space, then run `orbit audit verify --repair` on the log',
        },
      );
    }
    this.#bytes += bytes.length;
    this.#prefixHash.update(bytes);
  }

  async #sync(): Promise<void> {
    await this.#handle.sync();
    const written = this.#written;
    if (written !== null && written.seq !== this.#anchored) {
      await writeAuditAnchor(this.path, this.#key, written, {
        bytes: this.#bytes,
        blake3: this.#prefixHash.digest(),
      });
      this.#anchored = written.seq;
    }
  }
}

async function checkExistingLog(path: string, key: Uint8Array): Promise<{ seq: number; mac: string }> {
  const report = await verifyAuditLog(path, key);
  const first = report.problems[0];
  if (first !== undefined || report.last === null) {
    const torn = report.tornTail !== null && report.problems.length === 1;
    throw new OrbitError(
      'AUDIT_TAMPERED',
      `audit log does not verify at line ${first?.line ?? report.lines}: ${first?.message ?? 'no verified last line'}; refusing to append to it`,
      {
        file: path,
        line: first?.line,
        hint: torn
          ? `run \`orbit audit verify --repair ${path}\` to move the torn line aside, then retry`
          : `keep the file as evidence, run \`orbit audit verify ${path}\` to list every problem, then move it aside to start a new log`,
      },
    );
  }
  return report.last;
}

/** An empty log is only acceptable if no anchor says it once held lines. */
async function checkEmptyLog(path: string, key: Uint8Array): Promise<null> {
  const report = await verifyAuditLog(path, key);
  const first = report.problems[0];
  if (first !== undefined) {
    throw new OrbitError(
      'AUDIT_TAMPERED',
      `audit log is empty but ${first.message}; refusing to append to it`,
      {
        file: path,
        hint: `keep the file and its .head as evidence, then move both aside to start a new log`,
      },
    );
  }
  return null;
}
