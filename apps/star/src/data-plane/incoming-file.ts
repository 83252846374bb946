import type { FileHandle } from 'node:fs/promises';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ChunkingOptions } from '@orbit/engine/chunking/chunking-options';
import { decompressChunk } from '@orbit/engine/compression/compress-chunk';
import type { HashAlgorithm } from '@orbit/engine/hashing/hash-algorithm';
import { getHashAlgorithm } from '@orbit/engine/hashing/hash-registry';
import { fsyncDirectory, partialPathFor } from '@orbit/engine/transfer/atomic-file';
import { type ChunkRef, chunkPass, hashRange } from '@orbit/engine/transfer/chunk-pass';
import type { JailedPath, PathJail } from '../security/path-jail.ts';
import { DataPlaneError } from './data-plane-error.ts';
import { jailFor, validateAnnouncedFile } from './incoming-checks.ts';
import type { IncomingFileRecord, ReceiverJournal } from './receiver-journal.ts';
import type { TargetLocks } from './target-locks.ts';
import type { ChunkFrame } from './wire-frames.ts';
import type { FileBegin, FileOk } from './wire-messages.ts';

export interface IncomingContext {
  readonly jail: PathJail;
  readonly journal: ReceiverJournal;
  /** The ticket's path: every target lies under it. */
  readonly root: string;
  readonly chunking: ChunkingOptions;
  /** Temp data is fdatasync'ed and journalled after about this many new bytes. */
  readonly checkpointBytes: number;
  /** Targets being written by any session of this server. */
  readonly locks: TargetLocks;
}

const SCRATCH_BYTES = 8 * 1024 * 1024;
/** Long enough for a dropped session to close its temp file after the sender reconnects. */
const LOCK_WAIT_MS = 10_000;

/**
 * One file arriving. Opening it works out which chunks the receiver already holds (a resumed temp
 * file, then the old file at the target) and copies them into the temp file; `writeChunk` adds
 * the rest; `finish` verifies the whole file and renames it into place.
 */
export class IncomingFile {
  readonly begin: FileBegin;
  readonly #ctx: IncomingContext;
  readonly #algorithm: HashAlgorithm;
  readonly #target: JailedPath;
  readonly #release: () => void;
  readonly #chunks: readonly ChunkRef[];
  readonly #present: boolean[];
  /** Hash → indices still missing; a hash that repeats in the file is sent once. */
  readonly #missing = new Map<string, number[]>();
  /** The open temp file; `#tempPath` outlives it so an abandoned file can still be removed. */
  #temp: FileHandle | undefined;
  #unchanged = false;
  #tempPath: JailedPath | undefined;
  /** Small files that finish before their first checkpoint never touch the journal. */
  #journalled = false;
  #pending: ChunkRef[] = [];
  #sinceCheckpoint = 0;
  #bytesWritten = 0;
  #chunksReused = 0;

  private constructor(begin: FileBegin, ctx: IncomingContext, target: JailedPath, release: () => void) {
    this.begin = begin;
    this.#release = release;
    this.#ctx = ctx;
    this.#algorithm = getHashAlgorithm(begin.algorithm);
    this.#target = target;
    this.#chunks = begin.chunks.map(([offset, length, hash]) => ({ offset, length, hash }));
    this.#present = this.#chunks.map(() => false);
  }

  static async open(begin: FileBegin, ctx: IncomingContext): Promise<IncomingFile> {
    validateAnnouncedFile(begin, ctx.chunking);
    const target = await jailFor(ctx.jail, ctx.root, begin.path);
    const release = await ctx.locks.acquire(target.realPath, LOCK_WAIT_MS);
    if (release === undefined) {
      throw new DataPlaneError('busy', `another transfer is writing ${target.realPath}`, {
        path: begin.path,
        hint: 'wait for it to finish, then push again',
      });
    }
    const file = new IncomingFile(begin, ctx, target, release);
    try {
      await file.#prepare();
    } catch (error) {
      await file.abandon({ keepForResume: true });
      throw error;
    }
    return file;
  }

  /** Indices of FILE_BEGIN's chunk list already in place. */
  have(): number[] {
    return this.#present.flatMap((present, index) => (present ? [index] : []));
  }

  get chunksReused(): number {
    return this.#chunksReused;
  }

  async writeChunk(frame: ChunkFrame): Promise<void> {
    const indices = this.#missing.get(frame.hash);
    const first = indices?.[0];
    const expected = first === undefined ? undefined : this.#chunks[first];
    if (indices === undefined || expected === undefined) {
      throw new DataPlaneError(
        'protocol',
        `CHUNK ${frame.hash} is not a missing chunk of ${this.begin.path}`,
      );
    }
    if (frame.rawLength !== expected.length) {
      throw new DataPlaneError(
        'protocol',
        `CHUNK ${frame.hash} says ${frame.rawLength} bytes, FILE_BEGIN said ${expected.length}`,
      );
    }
    let data: Uint8Array;
    try {
      data = decompressChunk(frame.codec, frame.payload, frame.rawLength);
    } catch (cause) {
      throw new DataPlaneError('checksum', `chunk ${frame.hash} of ${this.begin.path} does not decode`, {
        cause,
      });
    }
    if (this.#algorithm.hash(data) !== frame.hash) {
      throw new DataPlaneError(
        'checksum',
        `chunk ${frame.hash} of ${this.begin.path} does not match its hash`,
        {
          path: this.begin.path,
          hint: 'the bytes were damaged in transit or at the sender; push the file again',
        },
      );
    }
    const handle = this.#requireTemp();
    for (const index of indices) {
      const chunk = this.#chunks[index];
      if (chunk === undefined) continue;
      await writeAll(handle, data, chunk.offset);
      this.#present[index] = true;
      this.#pending.push(chunk);
      this.#sinceCheckpoint += chunk.length;
      this.#bytesWritten += chunk.length;
    }
    this.#missing.delete(frame.hash);
    if (this.#sinceCheckpoint >= this.#ctx.checkpointBytes) await this.#checkpoint();
  }

  /** Verifies the whole temp file, applies mode and mtime, renames it over the target. */
  async finish(): Promise<FileOk> {
    const { begin } = this;
    if (this.#missing.size > 0) {
      throw new DataPlaneError(
        'protocol',
        `FILE_END for ${begin.path} with ${this.#missing.size} chunks missing`,
      );
    }
    const result = (): FileOk => ({
      path: begin.path,
      hash: begin.hash,
      unchanged: this.#unchanged,
      chunksReused: this.#chunksReused,
      bytesWritten: this.#bytesWritten,
    });
    if (this.#unchanged) {
      const { handle } = await this.#ctx.jail.openResolved(this.#target, 'r');
      try {
        await applyMetadata(handle, begin);
      } finally {
        await handle.close();
      }
      this.#release();
      return result();
    }
    const temp = this.#requireTemp();
    await temp.truncate(begin.size);
    const whole = this.#algorithm.create();
    const scratch = new Uint8Array(Math.min(SCRATCH_BYTES, begin.size + 1));
    await hashRange(temp, 0, begin.size, this.#algorithm, scratch, whole);
    if (whole.digest() !== begin.hash) {
      await this.abandon({ keepForResume: false });
      throw new DataPlaneError(
        'checksum',
        `the received ${begin.path} does not match the sender's file hash`,
        {
          path: this.#target.realPath,
          hint: 'check the destination disk for errors, then push the file again',
        },
      );
    }
    await applyMetadata(temp, begin);
    await temp.sync();
    await this.#closeTemp();
    // The target is checked again just before the rename: a symlink swapped in meanwhile is refused.
    const again = await this.#ctx.jail.resolve(this.#target.requested, 'write');
    if (again.realPath !== this.#target.realPath || this.#tempPath === undefined) {
      await this.abandon({ keepForResume: false });
      throw new DataPlaneError('path-denied', `${begin.path} moved while it was being written`);
    }
    await rename(this.#tempPath.realPath, this.#target.realPath);
    await fsyncDirectory(dirname(this.#target.realPath));
    await this.#ctx.journal.finish(this.#target.realPath);
    this.#release();
    return result();
  }

  /**
   * Stops writing. With `keepForResume` the temp file and journal stay (a dropped connection);
   * without, both are removed (bad data, aborted source) so nothing partial is left behind.
   */
  async abandon({ keepForResume }: { keepForResume: boolean }): Promise<void> {
    if (keepForResume && this.#temp) await this.#checkpoint().catch(() => undefined);
    await this.#closeTemp();
    if (!keepForResume) {
      if (this.#tempPath) await rm(this.#tempPath.realPath, { force: true }).catch(() => undefined);
      await this.#ctx.journal.finish(this.#target.realPath).catch(() => undefined);
    }
    this.#release();
  }

  async #prepare(): Promise<void> {
    const resumed = await this.#resumeTemp();
    if (!resumed && (await this.#targetUnchanged())) {
      this.#unchanged = true;
      this.#present.fill(true);
      this.#chunksReused = this.#chunks.length;
      return;
    }
    if (!resumed) await this.#openTemp('w');
    await this.#reuseFromTarget();
    for (const [index, chunk] of this.#chunks.entries()) {
      if (this.#present[index]) continue;
      const list = this.#missing.get(chunk.hash);
      if (list) list.push(index);
      else this.#missing.set(chunk.hash, [index]);
    }
    await this.#checkpoint();
  }

  /** Takes over an interrupted transfer's temp file, keeping only chunks that still hash right. */
  async #resumeTemp(): Promise<boolean> {
    const point = await this.#ctx.journal.load(this.#target.realPath);
    if (point === undefined) return false;
    const tempPath = await this.#ctx.jail.resolve(partialPathFor(this.#target.requested), 'write');
    const { begin } = this;
    const same =
      point.temp === tempPath.realPath &&
      point.size === begin.size &&
      point.mtimeMs === begin.mtimeMs &&
      point.hash === begin.hash &&
      point.algorithm === begin.algorithm;
    if (!same || !tempPath.exists) {
      await rm(tempPath.realPath, { force: true });
      await this.#ctx.journal.finish(this.#target.realPath);
      return false;
    }
    const handle = await this.#openTemp('r+');
    const byOffset = new Map(this.#chunks.map((chunk, index) => [chunk.offset, index]));
    const scratch = new Uint8Array(this.#ctx.chunking.maxSize);
    for (const recorded of point.chunks) {
      const index = byOffset.get(recorded.offset);
      const chunk = index === undefined ? undefined : this.#chunks[index];
      if (index === undefined || chunk?.length !== recorded.length || chunk.hash !== recorded.hash) continue;
      if (this.#present[index]) continue;
      if ((await hashRange(handle, chunk.offset, chunk.length, this.#algorithm, scratch)) !== chunk.hash)
        continue;
      this.#present[index] = true;
      this.#chunksReused++;
    }
    // Re-journal only what verified, so the next resume does not trust a chunk that failed.
    this.#journalled = false;
    this.#pending = this.#chunks.filter((_, index) => this.#present[index]);
    return true;
  }

  /** The file at the target already has the announced content: only metadata may differ. */
  async #targetUnchanged(): Promise<boolean> {
    const old = await this.#openOld();
    if (old === undefined) return false;
    try {
      if ((await old.stat()).size !== this.begin.size) return false;
      const whole = this.#algorithm.create();
      const scratch = new Uint8Array(Math.min(SCRATCH_BYTES, this.begin.size + 1));
      await hashRange(old, 0, this.begin.size, this.#algorithm, scratch, whole);
      return whole.digest() === this.begin.hash;
    } finally {
      await old.close();
    }
  }

  /** Cuts the old file with the sender's chunking and copies every chunk the new file also has. */
  async #reuseFromTarget(): Promise<void> {
    if (this.#present.every(Boolean)) return;
    const old = await this.#openOld();
    if (old === undefined) return;
    const indicesByHash = new Map<string, number[]>();
    for (const [index, chunk] of this.#chunks.entries()) {
      if (this.#present[index]) continue;
      indicesByHash.set(chunk.hash, [...(indicesByHash.get(chunk.hash) ?? []), index]);
    }
    const temp = this.#requireTemp();
    try {
      await chunkPass(old, {
        chunking: this.#ctx.chunking,
        algorithm: this.#algorithm,
        onChunk: async (chunk, data) => {
          const indices = indicesByHash.get(chunk.hash);
          if (indices === undefined) return;
          indicesByHash.delete(chunk.hash);
          for (const index of indices) {
            const at = this.#chunks[index];
            if (at === undefined) continue;
            await writeAll(temp, data, at.offset);
            this.#present[index] = true;
            this.#pending.push(at);
            this.#chunksReused++;
          }
        },
      });
    } finally {
      await old.close();
    }
  }

  async #openOld(): Promise<FileHandle | undefined> {
    if (!this.#target.exists) return undefined;
    const { handle } = await this.#ctx.jail.openResolved(this.#target, 'r');
    if ((await handle.stat()).isFile()) return handle;
    await handle.close();
    throw new DataPlaneError('io', `${this.#target.realPath} exists and is not a regular file`, {
      path: this.begin.path,
      hint: 'move it out of the way, then push again',
    });
  }

  async #openTemp(flags: 'w' | 'r+'): Promise<FileHandle> {
    await mkdir(dirname(this.#target.realPath), { recursive: true });
    const path = await this.#ctx.jail.resolve(partialPathFor(this.#target.requested), 'write');
    // The jail's `w` is write-only; the temp file is read back to verify it, so reopen it `r+`.
    if (flags === 'w') await (await this.#ctx.jail.openResolved(path, 'w', 0o600)).handle.close();
    const { handle } = await this.#ctx.jail.openResolved(path, 'r+', 0o600);
    this.#tempPath = path;
    this.#temp = handle;
    return handle;
  }

  #requireTemp(): FileHandle {
    if (this.#temp === undefined) throw new DataPlaneError('protocol', `${this.begin.path} takes no chunks`);
    return this.#temp;
  }

  #record(): IncomingFileRecord {
    const { begin } = this;
    return {
      target: this.#target.realPath,
      temp: this.#tempPath?.realPath ?? partialPathFor(this.#target.realPath),
      size: begin.size,
      mtimeMs: begin.mtimeMs,
      hash: begin.hash,
      algorithm: begin.algorithm,
    };
  }

  async #checkpoint(): Promise<void> {
    if (this.#temp === undefined || this.#pending.length === 0) return;
    await this.#temp.datasync();
    if (!this.#journalled) {
      await this.#ctx.journal.begin(this.#record());
      this.#journalled = true;
    }
    await this.#ctx.journal.checkpoint(this.#target.realPath, this.#pending);
    this.#pending = [];
    this.#sinceCheckpoint = 0;
  }

  async #closeTemp(): Promise<void> {
    const temp = this.#temp;
    this.#temp = undefined;
    await temp?.close().catch(() => undefined);
  }
}

async function applyMetadata(handle: FileHandle, begin: FileBegin): Promise<void> {
  // Permission bits only: a remote peer must not be able to plant setuid or setgid files here.
  await handle.chmod(begin.mode & 0o777);
  await handle.utimes(new Date(), begin.mtimeMs / 1000);
}

async function writeAll(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}
