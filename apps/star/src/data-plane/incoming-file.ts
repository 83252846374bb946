import { rm } from 'node:fs/promises';
import type { ChunkingOptions } from '@orbit/engine/chunking/chunking-options';
import type { HashAlgorithm } from '@orbit/engine/hashing/hash-algorithm';
import { getHashAlgorithm } from '@orbit/engine/hashing/hash-registry';
import type { ChunkRef } from '@orbit/engine/transfer/chunk-pass';
import { sameMtime } from '@orbit/engine/transfer/file-sync';
import type { JailedPath, PathJail } from '../security/path-jail.ts';
import type { ChunkListCache } from './chunk-list-cache.ts';
import { DataPlaneError } from './data-plane-error.ts';
import {
  applyMetadata,
  jailFor,
  validateAnnouncedFile,
  validateAnnouncedMeta,
  verifiedChunk,
} from './incoming-checks.ts';
import { commitTemp } from './incoming-commit.ts';
import { EarlyCopy } from './incoming-early-copy.ts';
import { OldFile } from './incoming-old.ts';
import { planList } from './incoming-plan.ts';
import { resumePoint, verifiedRecorded, wasStreamed } from './incoming-resume.ts';
import { IncomingStream } from './incoming-stream.ts';
import { IncomingTemp } from './incoming-temp.ts';
import { type CopyStep, copyChunks } from './old-file-index.ts';
import type { IncomingResumePoint, ReceiverJournal } from './receiver-journal.ts';
import type { TargetLocks } from './target-locks.ts';
import type { ChunkFrame } from './wire-frames.ts';
import type { ChunkList, FileAnnounce, FileBegin, FileOk } from './wire-messages.ts';

export interface IncomingContext {
  readonly jail: PathJail;
  readonly journal: ReceiverJournal;
  /** The ticket's path: every target lies under it. */
  readonly root: string;
  readonly chunking: ChunkingOptions;
  /** Temp data is fdatasync'ed and journalled after about this many new bytes. */
  readonly checkpointBytes: number;
  /** From this size on a fresh streamed file is written (`IncomingTemp`), an old one copied (`EarlyCopy`), with O_DIRECT. */
  readonly directWriteMinBytes: number;
  /** Targets being written by any session of this server. */
  readonly locks: TargetLocks;
  /** Chunk lists of committed files: an old file's index without cutting it. */
  readonly cache: ChunkListCache;
  /** What this session did to old files, for its BYE totals. */
  readonly counters: { oldBytesCut: number; oldListsCached: number };
  /** Notes for the Star's log (e.g. a cache entry ignored, and why). */
  readonly log: (message: string) => void;
}

/** Long enough for a dropped session to close its temp file after the sender reconnects. */
const LOCK_WAIT_MS = 10_000;

type Settled<T> = { readonly value: T } | { readonly error: unknown };

/**
 * One file arriving. With nothing to reuse it is `stream`ed (`IncomingStream`): chunks arrive in
 * file order and are appended. Otherwise (`list`) the sender's chunk list is matched against a
 * resumed temp file and the old file at the target, which was indexed while the sender cut its
 * file (`planList`); the chunks found are copied in while the missing ones arrive. `finish`
 * verifies the whole temp file and renames it.
 */
export class IncomingFile {
  readonly announce: FileAnnounce;
  readonly #ctx: IncomingContext;
  readonly #algorithm: HashAlgorithm;
  readonly #target: JailedPath;
  readonly #release: () => void;
  #hash: string | undefined;
  #chunks: ChunkRef[] = [];
  /** Set in stream mode. */
  #stream: IncomingStream | undefined;
  /** Hash → indices still to arrive; a hash that repeats in the file is sent once. */
  #missing = new Map<string, number[]>();
  #resume: IncomingResumePoint | undefined;
  #old: OldFile | undefined;
  /** The old file copied in place while the sender cuts: see `EarlyCopy`. */
  #early: EarlyCopy | undefined;
  #copying: Promise<Settled<void>> | undefined;
  #have: number[] = [];
  #unchanged = false;
  #temp: IncomingTemp | undefined;
  #chunksReused = 0;

  private constructor(announce: FileAnnounce, ctx: IncomingContext, target: JailedPath, release: () => void) {
    this.announce = announce;
    this.#ctx = ctx;
    this.#algorithm = getHashAlgorithm(announce.algorithm);
    this.#target = target;
    this.#release = release;
  }

  /** A FILE_BEGIN with its chunk list: planned at once, HAVE is ready. */
  static async open(begin: FileBegin, ctx: IncomingContext): Promise<IncomingFile> {
    validateAnnouncedFile(begin, ctx.chunking);
    const file = await IncomingFile.start(begin, ctx, { listed: true });
    try {
      await file.plan(begin);
    } catch (error) {
      await file.abandon({ keepForResume: true });
      throw error;
    }
    return file;
  }

  /**
   * A FILE_BEGIN without chunks: claims the target and decides the mode. In `list` mode the old
   * file is indexed in the background until `plan` gets the sender's list.
   */
  static async start(
    announce: FileAnnounce,
    ctx: IncomingContext,
    { listed = false }: { listed?: boolean } = {},
  ): Promise<IncomingFile> {
    validateAnnouncedMeta(announce);
    const target = await jailFor(ctx.jail, ctx.root, announce.path);
    const release = await ctx.locks.acquire(target.realPath, LOCK_WAIT_MS);
    if (release === undefined) {
      throw new DataPlaneError('busy', `another transfer is writing ${target.realPath}`, {
        path: announce.path,
        hint: 'wait for it to finish, then push again',
      });
    }
    const file = new IncomingFile(announce, ctx, target, release);
    try {
      await file.#decide(listed);
    } catch (error) {
      await file.abandon({ keepForResume: true });
      throw error;
    }
    return file;
  }

  get mode(): 'stream' | 'list' {
    return this.#stream === undefined ? 'list' : 'stream';
  }

  /** Stream mode: where the sender starts, after what a resumed temp file holds. */
  get streamFrom(): number {
    return this.#stream?.offset ?? 0;
  }

  get path(): string {
    return this.announce.path;
  }

  /** The file as announced, with its chunk list as known so far. */
  get begin(): FileBegin {
    return {
      ...this.announce,
      hash: this.#hash ?? '',
      chunks: this.#chunks.map((chunk) => [chunk.offset, chunk.length, chunk.hash]),
    };
  }

  /** The old file's chunk list, when the cache knows it: the sender may cut along it. */
  get guide(): readonly ChunkRef[] | undefined {
    return this.#old?.guide;
  }

  /** Indices of the chunk list already in place or being copied in. */
  have(): number[] {
    return this.#have;
  }

  get chunksReused(): number {
    return this.#chunksReused;
  }

  /** `list` mode: matches the sender's chunk list against what this Star already holds. */
  async plan(list: ChunkList): Promise<void> {
    if (this.#stream !== undefined || this.#hash !== undefined) {
      throw new DataPlaneError('protocol', `a chunk list for ${this.path} was not asked for`);
    }
    validateAnnouncedFile({ ...this.announce, ...list }, this.#ctx.chunking);
    this.#hash = list.hash;
    this.#chunks = list.chunks.map(([offset, length, hash]) => ({ offset, length, hash }));
    const present = new Set<number>(await this.#early?.settle(this.#chunks));
    this.#early = undefined;
    this.#chunksReused += present.size;
    const resumed = await this.#resumeTemp(present);
    if (!resumed && (await this.#old?.holds(this.announce.size, this.#chunks, list.hash))) {
      this.#unchanged = true;
      this.#have = this.#chunks.map((_, index) => index);
      this.#chunksReused = this.#chunks.length;
      await this.#closeOld();
      // Only a touched file copied early: the copy goes, the file stays.
      await this.#temp?.stop({ keepForResume: false });
      this.#temp = undefined;
      return;
    }
    const temp = this.#temp ?? (await this.#openTemp('w'));
    for (const index of present) temp.written(index);
    const planned = planList(this.#chunks, present, await this.#old?.index());
    this.#missing = planned.missing;
    this.#have = planned.have;
    this.#chunksReused += planned.copied;
    this.#copyInBackground(planned.steps, temp);
  }

  async writeChunk(frame: ChunkFrame): Promise<void> {
    if (this.#stream !== undefined) return this.#stream.append(frame, this.#requireTemp());
    const indices = this.#missing.get(frame.hash);
    const first = indices?.[0];
    const expected = first === undefined ? undefined : this.#chunks[first];
    if (indices === undefined || expected === undefined) {
      throw new DataPlaneError('protocol', `CHUNK ${frame.hash} is not a missing chunk of ${this.path}`);
    }
    if (frame.rawLength !== expected.length) {
      throw new DataPlaneError(
        'protocol',
        `CHUNK ${frame.hash} says ${frame.rawLength} bytes, FILE_BEGIN said ${expected.length}`,
      );
    }
    const data = verifiedChunk(frame, this.#algorithm, this.path);
    const temp = this.#requireTemp();
    for (const index of indices) {
      const chunk = this.#chunks[index];
      if (chunk !== undefined) await temp.write(index, data, chunk.offset);
    }
    this.#missing.delete(frame.hash);
  }

  /** Verifies the whole temp file, applies mode and mtime, renames it over the target. */
  async finish(streamedHash?: string): Promise<FileOk> {
    const { announce } = this;
    if (this.#stream !== undefined) {
      const received = this.#stream.offset;
      if (streamedHash === undefined || received !== announce.size) {
        throw new DataPlaneError(
          'protocol',
          `FILE_END for streamed ${this.path} after ${received} of ${announce.size} bytes${streamedHash === undefined ? ', without its hash' : ''}`,
        );
      }
      this.#hash = streamedHash;
    } else if (this.#hash === undefined || this.#missing.size > 0) {
      throw new DataPlaneError(
        'protocol',
        `FILE_END for ${this.path} with ${this.#hash === undefined ? 'no chunk list' : `${this.#missing.size} chunks missing`}`,
      );
    }
    const hash = this.#hash;
    const result = (bytesWritten: number): FileOk => ({
      path: announce.path,
      hash,
      unchanged: this.#unchanged,
      chunksReused: this.#chunksReused,
      bytesWritten,
    });
    if (this.#unchanged) {
      const { handle } = await this.#ctx.jail.openResolved(this.#target, 'r');
      try {
        await applyMetadata(handle, announce);
        // The new mode and mtime moved the file's ctime: the list is recorded again under it.
        await this.#remember((await handle.stat()).ino, hash);
      } finally {
        await handle.close();
      }
      this.#release();
      return result(0);
    }
    const copied = await this.#copying;
    if (copied !== undefined && 'error' in copied) throw copied.error;
    const old = this.#old;
    await this.#closeOld();
    const temp = this.#requireTemp();
    const { jail, journal } = this.#ctx;
    let ino: number;
    try {
      ino = await commitTemp(temp, { jail, journal, target: this.#target, announce, hash });
    } catch (error) {
      if (error instanceof DataPlaneError && error.reason === 'checksum') await old?.failed();
      await this.abandon({ keepForResume: false });
      throw error;
    }
    await this.#remember(ino, hash);
    this.#release();
    return result(temp.bytesWritten);
  }

  /**
   * Stops writing. With `keepForResume` the temp file and journal stay (a dropped connection);
   * without, both are removed (bad data, aborted source) so nothing partial is left behind.
   */
  async abandon({ keepForResume }: { keepForResume: boolean }): Promise<void> {
    await this.#early?.stop();
    await this.#copying;
    await this.#closeOld();
    const temp = this.#temp;
    this.#temp = undefined;
    if (temp) await temp.stop({ keepForResume });
    if (!keepForResume) await this.#ctx.journal.finish(this.#target.realPath).catch(() => undefined);
    this.#release();
  }

  /** Stream when there is nothing to reuse; otherwise index the old file while the sender cuts. */
  async #decide(listed: boolean): Promise<void> {
    this.#resume = await resumePoint(this.#ctx, this.#target, this.announce);
    if (!listed && this.#resume !== undefined && wasStreamed(this.#resume)) {
      const stream = this.#startStream();
      this.#chunksReused += await stream.resume(await this.#openTemp('r+'), this.#resume, this.#algorithm);
      return;
    }
    const old = await OldFile.open(this.#target, this.#ctx, this.#algorithm);
    this.#old = old;
    if (listed || this.#resume !== undefined) return;
    if (old === undefined) {
      this.#startStream();
      await this.#openTemp('w');
    } else if (
      old.guide &&
      old.size === this.announce.size &&
      !sameMtime(old.mtimeMs, this.announce.mtimeMs)
    ) {
      const temp = await this.#openTemp('w');
      this.#early = await EarlyCopy.start(old, temp, {
        maxChunk: this.#ctx.chunking.maxSize,
        directWriteMinBytes: this.#ctx.directWriteMinBytes,
      });
    }
  }

  /** The committed file's chunk list, for the next push of it (`ChunkListCache`). */
  async #remember(ino: number, hash: string): Promise<void> {
    const key = { algorithm: this.announce.algorithm, chunking: this.#ctx.chunking };
    const list = { size: this.announce.size, hash, chunks: this.#chunks };
    await this.#ctx.cache.save(this.#target.realPath, ino, key, list);
  }

  #startStream(): IncomingStream {
    this.#stream = new IncomingStream(this.#chunks, {
      path: this.path,
      size: this.announce.size,
      maxChunk: this.#ctx.chunking.maxSize,
    });
    return this.#stream;
  }

  /** Takes over an interrupted transfer's temp file, keeping only chunks that still hash right. */
  async #resumeTemp(present: Set<number>): Promise<boolean> {
    const point = this.#resume;
    if (point === undefined) return false;
    if (!wasStreamed(point) && point.hash !== this.#hash) {
      this.#resume = undefined;
      await rm(point.temp, { force: true });
      await this.#ctx.journal.finish(this.#target.realPath);
      return false;
    }
    const temp = await this.#openTemp('r+');
    for (const index of await verifiedRecorded(temp, point, this.#chunks, this.#algorithm)) {
      present.add(index);
      this.#chunksReused++;
    }
    return true;
  }

  #copyInBackground(steps: readonly CopyStep[], temp: IncomingTemp): void {
    if (steps.length === 0) return;
    const old = this.#old;
    if (old === undefined) return;
    this.#copying = copyChunks(old.handle, temp.writer, steps, {
      maxChunk: this.#ctx.chunking.maxSize,
      onWritten: (index) => temp.written(index),
      fds: temp.kernelCopyFd === undefined ? undefined : { from: old.handle.fd, to: temp.kernelCopyFd },
    }).then(
      () => ({ value: undefined }),
      (error: unknown) => ({ error }),
    );
  }

  async #closeOld(): Promise<void> {
    const old = this.#old;
    this.#old = undefined;
    await old?.close();
  }

  async #openTemp(flags: 'w' | 'r+'): Promise<IncomingTemp> {
    this.#temp = await IncomingTemp.open(this.#ctx.jail, this.#target, flags, {
      algorithm: this.#algorithm,
      size: this.announce.size,
      chunks: () => this.#chunks,
      record: (temp) => ({
        target: this.#target.realPath,
        temp,
        size: this.announce.size,
        mtimeMs: this.announce.mtimeMs,
        hash: this.#hash ?? '',
        algorithm: this.announce.algorithm,
      }),
      journal: this.#ctx.journal,
      checkpointBytes: this.#ctx.checkpointBytes,
      directWriteMinBytes: this.#ctx.directWriteMinBytes,
      digest: this.#stream === undefined ? 'read-back' : 'written',
      sparse: this.announce.sparse === true,
    });
    return this.#temp;
  }

  #requireTemp(): IncomingTemp {
    if (this.#temp === undefined) throw new DataPlaneError('protocol', `${this.path} takes no chunks`);
    return this.#temp;
  }
}
