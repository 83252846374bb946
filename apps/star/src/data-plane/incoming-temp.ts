import type { FileHandle } from 'node:fs/promises';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { HashAlgorithm } from '@orbit/engine/hashing/hash-algorithm';
import { partialPathFor } from '@orbit/engine/transfer/atomic-file';
import type { ChunkRef } from '@orbit/engine/transfer/chunk-pass';
import { inodeOf } from '@orbit/engine/transfer/file-inode';
import { openStagedDirectWriter, type StagedWriter } from '@orbit/engine/transfer/staged-direct-writer';
import type { JailedPath, PathJail } from '../security/path-jail.ts';
import { DataPlaneError } from './data-plane-error.ts';
import { type FileWriter, openWriter, sparseWriter } from './file-writer.ts';
import type { IncomingFileRecord, ReceiverJournal } from './receiver-journal.ts';
import { createTempDigest, type TempDigest, type TempDigestKind } from './temp-digest.ts';

export interface IncomingTempOptions {
  readonly algorithm: HashAlgorithm;
  readonly size: number;
  /** The file's chunk list as known now (it grows while a file streams). */
  readonly chunks: () => readonly ChunkRef[];
  /** What the journal's first line says about this file, given the temp file's real path. */
  readonly record: (temp: string) => IncomingFileRecord;
  readonly journal: ReceiverJournal;
  readonly checkpointBytes: number;
  /** Hash the file as it is written (streamed) or as read back from disk (anything else). */
  readonly digest: TempDigestKind;
  /** The source has holes: zero pages are left as holes (the file gets its full size first). */
  readonly sparse?: boolean;
  /** A fresh streamed file this big or bigger is written with O_DIRECT. */
  readonly directWriteMinBytes: number;
}

/**
 * Chunk writes queued ahead of the disk: the next frames are decrypted and decoded while these are
 * written. Bounded, since each one holds its buffer (and the socket read it is a view of), and by
 * one checkpoint interval: bytes acknowledged but not yet written are lost to a crash, and what a
 * crash may cost is what `checkpointBytes` sets.
 */
const WRITE_AHEAD_BYTES = 16 * 1024 * 1024;
const STAGING_BLOCK_BYTES = 8 * 1024 * 1024;

/**
 * The temp file beside the target and its bookkeeping: which chunks are in it, writes queued ahead
 * of the disk, checkpoints (an fdatasync, then the chunks it made durable appended to the journal)
 * that run beside the writes instead of stalling them, and its whole-file hash (`TempDigest`).
 */
export class IncomingTemp {
  readonly handle: FileHandle;
  readonly writer: FileWriter;
  readonly path: JailedPath;
  /** Bytes of received chunks written (reused ones are not counted). */
  bytesWritten = 0;
  readonly #options: IncomingTempOptions;
  /**
   * Where reused chunks may be copied in the kernel; none for a sparse file: copy_file_range writes
   * a hole's zeros as data, the writer keeps them holes.
   */
  get kernelCopyFd(): number | undefined {
    return this.#options.sparse ? undefined : this.handle.fd;
  }
  readonly #present = new Set<number>();
  readonly #digest: TempDigest;
  /** Chunk writes handed to the writer and not finished yet, oldest first. */
  readonly #writes: { readonly done: Promise<void>; readonly bytes: number; readonly end: number }[] = [];
  /** The writer when it stages writes in blocks: a write waited for may need its block flushed. */
  readonly #staged: StagedWriter | undefined;
  #writeAhead = 0;
  /** Chunks before this index are all written: the digest may hash up to its offset. */
  #cursor = 0;
  #pending: ChunkRef[] = [];
  #sinceCheckpoint = 0;
  #journalled = false;
  #checkpointing: Promise<void> | undefined;
  #failure: unknown;

  private constructor(
    handle: FileHandle,
    writer: FileWriter,
    path: JailedPath,
    options: IncomingTempOptions,
    staged?: StagedWriter,
  ) {
    this.#options = options;
    this.handle = handle;
    this.writer = writer;
    this.#staged = staged;
    this.path = path;
    this.#digest = createTempDigest(options.digest, handle, options.algorithm, options.size, path.realPath);
  }

  /**
   * `.<name>.orbit-partial` beside the target, through the jail: created new (`w`) or resumed
   * (`r+`). The name itself is never followed: whatever stands there when a file starts (an old
   * temp file, a symlink put there) is removed, and the new one is created with O_EXCL.
   */
  static async open(
    jail: PathJail,
    target: JailedPath,
    flags: 'w' | 'r+',
    options: IncomingTempOptions,
  ): Promise<IncomingTemp> {
    await mkdir(dirname(target.realPath), { recursive: true });
    const path = await jail.resolveEntry(partialPathFor(target.requested), 'write');
    if (flags === 'w') {
      if (path.exists) await rm(path.realPath, { force: true });
      // The jail's `wx` is write-only; the temp file is read back to verify it, so reopen it `r+`.
      await (await jail.openResolved(path, 'wx', 0o600)).handle.close();
    }
    const { handle } = await jail.openResolved(path, 'r+', 0o600);
    const staged = await openStaged(handle, path.realPath, flags, options).catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    if (staged) return new IncomingTemp(handle, staged, path, options, staged);
    const writer = await openWriter(handle, path.realPath).catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    if (!options.sparse) return new IncomingTemp(handle, writer, path, options);
    // Sized up front: a hole not yet followed by data must read back as zeros, not as the file's end.
    await handle.truncate(options.size).catch(async (error: unknown) => {
      await writer.close();
      await handle.close();
      throw error;
    });
    return new IncomingTemp(handle, sparseWriter(writer), path, options);
  }

  /**
   * Queues one chunk's bytes for `offset`; chunk `index` counts as in place once they are written.
   * `data` must stay untouched until then. Resolves when the queue has room again; a failed write
   * is thrown by a later call or by `digest`.
   */
  async write(index: number, data: Uint8Array, offset: number): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    this.#digest.wrote(data, offset);
    const done = this.writer.write(data, offset).then(
      () => {
        this.bytesWritten += data.length;
        this.written(index);
      },
      (cause: unknown) => {
        this.#failure ??= new DataPlaneError(
          'io',
          `write at byte ${offset} of ${this.path.realPath} failed`,
          {
            cause,
          },
        );
      },
    );
    this.#writes.push({ done, bytes: data.length, end: offset + data.length });
    this.#writeAhead += data.length;
    while (this.#writeAhead > Math.min(WRITE_AHEAD_BYTES, this.#options.checkpointBytes)) {
      await this.#oldestWrite();
    }
    if (this.#failure !== undefined) throw this.#failure;
    // A disk slow to sync must not leave an unbounded tail unjournalled: a crash would re-send it all.
    while (this.#checkpointing !== undefined && this.#sinceCheckpoint >= 2 * this.#options.checkpointBytes) {
      await this.#checkpointing;
    }
  }

  /** A resumed chunk already on disk, re-verified from `data`: in place, and part of the digest. */
  adopt(index: number, data: Uint8Array, offset: number): void {
    this.#digest.wrote(data, offset);
    this.written(index);
  }

  /** Chunk `index` is in the file (written, copied or resumed): journal it at the next checkpoint. */
  written(index: number): void {
    const chunks = this.#options.chunks();
    const chunk = chunks[index];
    if (chunk === undefined || this.#present.has(index)) return;
    this.#present.add(index);
    this.#pending.push(chunk);
    this.#sinceCheckpoint += chunk.length;
    while (this.#present.has(this.#cursor)) this.#cursor++;
    const last = chunks[this.#cursor - 1];
    if (last !== undefined) this.#digest.advance(last.offset + last.length);
    if (this.#sinceCheckpoint >= this.#options.checkpointBytes) this.#checkpointSoon();
  }

  /** Bytes already written (queued writes land first). */
  async read(offset: number, length: number): Promise<Uint8Array> {
    await this.#writesDone();
    const data = await this.readRange(offset, length);
    if (data === undefined) {
      throw new DataPlaneError(
        'io',
        `the temp file ${this.path.realPath} is shorter than ${offset + length}`,
      );
    }
    return data;
  }

  /** One range as it is on disk now, or undefined when the file is shorter. */
  async readRange(offset: number, length: number): Promise<Uint8Array | undefined> {
    const data = new Uint8Array(length);
    const { bytesRead } = await this.handle.read(data, 0, length, offset);
    return bytesRead === length ? data : undefined;
  }

  /** The hash of one range, or undefined when the file is shorter. */
  async hashRange(offset: number, length: number, algorithm: HashAlgorithm): Promise<string | undefined> {
    const data = await this.readRange(offset, length);
    return data === undefined ? undefined : algorithm.hash(data);
  }

  /** Waits for the writes and the last checkpoint, then hashes what is left, up to `size`. */
  async digest(size: number): Promise<string> {
    await this.#settled();
    await this.handle.truncate(size);
    return this.#digest.digest(size);
  }

  async close(): Promise<void> {
    await this.#settled().catch(() => undefined);
    await this.#digest.close().catch(() => undefined);
    await this.writer.close().catch(() => undefined);
    await this.handle.close().catch(() => undefined);
  }

  /** Abandons the file: made durable and journalled for a resume, or removed. */
  async stop({ keepForResume }: { keepForResume: boolean }): Promise<void> {
    await this.#settled().catch(() => undefined);
    await this.#digest.close().catch(() => undefined);
    await this.writer.close().catch(() => undefined);
    if (keepForResume) await this.#checkpoint(this.#takePending()).catch(() => undefined);
    await this.handle.close().catch(() => undefined);
    if (!keepForResume) await rm(this.path.realPath, { force: true }).catch(() => undefined);
  }

  async #oldestWrite(): Promise<void> {
    const oldest = this.#writes.shift();
    if (oldest === undefined) return;
    // Staged bytes are written when their block fills; waiting for them needs the block written now.
    if (this.#staged !== undefined && oldest.end > this.#staged.submittedUpTo) await this.#staged.flush();
    await oldest.done;
    this.#writeAhead -= oldest.bytes;
  }

  async #writesDone(): Promise<void> {
    while (this.#writes.length > 0) await this.#oldestWrite();
  }

  async #settled(): Promise<void> {
    await this.#writesDone();
    await this.#digest.idle();
    while (this.#checkpointing !== undefined) await this.#checkpointing;
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Only chunks whose writes finished before the fdatasync starts are journalled by it. */
  #checkpointSoon(): void {
    if (this.#checkpointing !== undefined) return;
    this.#checkpointing = this.#checkpoint(this.#takePending())
      .catch((error: unknown) => {
        this.#failure ??= new DataPlaneError('io', `checkpoint of ${this.path.realPath} failed`, {
          cause: error,
        });
      })
      .finally(() => {
        this.#checkpointing = undefined;
        // Writes went on meanwhile: a backlog worth a checkpoint starts the next one now.
        if (this.#failure === undefined && this.#sinceCheckpoint >= this.#options.checkpointBytes) {
          this.#checkpointSoon();
        }
      });
  }

  #takePending(): ChunkRef[] {
    const batch = this.#pending;
    this.#pending = [];
    this.#sinceCheckpoint = 0;
    return batch;
  }

  async #checkpoint(batch: readonly ChunkRef[]): Promise<void> {
    if (batch.length === 0) return;
    await this.handle.datasync();
    const record = this.#options.record(this.path.realPath);
    if (!this.#journalled) {
      await this.#options.journal.begin(record);
      this.#journalled = true;
    }
    await this.#options.journal.checkpoint(record.target, batch);
  }
}

/**
 * The staged direct writer for a fresh, big, streamed file (written front to back, hashed as it
 * is written, no holes to keep); undefined for anything else or where direct writes are
 * unavailable. Its worker opens the temp file by name: it must be the file `handle` has open.
 */
async function openStaged(
  handle: FileHandle,
  path: string,
  flags: 'w' | 'r+',
  options: IncomingTempOptions,
): Promise<StagedWriter | undefined> {
  if (
    flags !== 'w' ||
    options.digest !== 'written' ||
    options.sparse ||
    options.size < options.directWriteMinBytes
  ) {
    return undefined;
  }
  // Half the write-ahead: the queue always holds a full block for the writer to take.
  const aheadBytes = Math.min(WRITE_AHEAD_BYTES, options.checkpointBytes);
  const blockBytes = Math.min(STAGING_BLOCK_BYTES, Math.floor(aheadBytes / 2));
  return openStagedDirectWriter(path, { blockBytes, inode: await inodeOf(handle) });
}
