import { Buffer } from 'node:buffer';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OrbitError } from '../errors.ts';
import { acquireLockFile, type StoreLock } from '../pack/store-lock.ts';
import { type AuditKey, linkAuditRecord, resolveAuditKey } from './audit-chain.ts';
import { type AuditEvent, type AuditRecord, auditEventSchema } from './audit-events.ts';
import { writeAuditAnchor } from './audit-head.ts';
import { verifyAuditLog } from './audit-verify.ts';

/**
 * Appends events to a JSON Lines audit log, continuing its HMAC chain. One writer per log: it holds
 * `<log>.lock` until `close()`; share the writer between concurrent jobs instead of opening twice.
 *
 * Durability rule: every line reaches the OS with one `write` as soon as `append` resolves, so it
 * survives the process dying; it survives power loss once fsync'ed, which happens on `flush()`,
 * `close()` and automatically after every `job` and `run-end` event. The `.head` anchor is updated
 * at each of those fsyncs, so it never names a line that is not on disk.
 */
export class AuditLogWriter {
  readonly path: string;
  readonly #key: Uint8Array;
  readonly #handle: FileHandle;
  readonly #lock: StoreLock;
  #last: { seq: number; mac: string } | null;
  #anchored: number;
  #queue: Promise<unknown> = Promise.resolve();
  #failure: unknown = null;
  #closed = false;

  private constructor(
    path: string,
    key: Uint8Array,
    handle: FileHandle,
    lock: StoreLock,
    last: AuditLogWriter['last'],
  ) {
    this.path = path;
    this.#key = key;
    this.#handle = handle;
    this.#lock = lock;
    this.#last = last;
    this.#anchored = last?.seq ?? 0;
  }

  /**
   * Opens `path` for appending, creating it if needed. An existing log must verify end to end
   * (including its anchor); otherwise this refuses with AUDIT_TAMPERED and leaves the file as it is.
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
        const last =
          size === 0 ? await checkEmptyLog(path, keyBytes) : await checkExistingLog(path, keyBytes);
        return new AuditLogWriter(path, keyBytes, handle, lock, last);
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

  /** Appends one event; concurrent calls are serialised so the chain stays in order. */
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
    const result = this.#enqueue(async () => {
      const record = linkAuditRecord(this.#last, checked.data, this.#key);
      await this.#writeLine(`${JSON.stringify(record)}\n`);
      this.#last = { seq: record.seq, mac: record.mac };
      if (record.type === 'job' || record.type === 'run-end') await this.#sync();
      return record;
    });
    return result;
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

  async #writeLine(line: string): Promise<void> {
    const bytes = Buffer.from(line, 'utf8');
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
  }

  async #sync(): Promise<void> {
    await this.#handle.sync();
    if (this.#last !== null && this.#last.seq !== this.#anchored) {
      await writeAuditAnchor(this.path, this.#key, this.#last);
      this.#anchored = this.#last.seq;
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
