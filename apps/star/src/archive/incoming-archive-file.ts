import { decompressChunk } from '@orbit/engine/compression/compress-chunk';
import type { HashAlgorithm } from '@orbit/engine/hashing/hash-algorithm';
import { getHashAlgorithm } from '@orbit/engine/hashing/hash-registry';
import type { SnapshotEntry } from '@orbit/engine/pack/snapshot';
import { DataPlaneError } from '../data-plane/data-plane-error.ts';
import { validateAnnouncedFile } from '../data-plane/incoming-checks.ts';
import type { IncomingContext } from '../data-plane/incoming-file.ts';
import type { IncomingTarget } from '../data-plane/incoming-target.ts';
import type { ChunkFrame } from '../data-plane/wire-frames.ts';
import type { FileBegin, FileOk } from '../data-plane/wire-messages.ts';
import type { OpenArchive } from './open-archive.ts';

/**
 * One file of an archive job arriving: HAVE names the chunks the store already holds, each missing
 * chunk is verified and stored once (its wire encoding kept, so zstd is not redone), and FILE_END
 * records the file's snapshot entry. Nothing is written under the file's own name.
 */
export class IncomingArchiveFile implements IncomingTarget {
  readonly begin: FileBegin;
  readonly #archive: OpenArchive;
  readonly #algorithm: HashAlgorithm;
  /** Hashes still to arrive; a hash repeated in the file is sent once. */
  readonly #missing = new Set<string>();
  readonly #have: number[] = [];
  #bytesWritten = 0;

  private constructor(begin: FileBegin, archive: OpenArchive) {
    this.begin = begin;
    this.#archive = archive;
    this.#algorithm = getHashAlgorithm(begin.algorithm);
    for (const [index, [, , hash]] of begin.chunks.entries()) {
      if (archive.store.has(hash)) this.#have.push(index);
      else this.#missing.add(hash);
    }
  }

  static open(begin: FileBegin, ctx: IncomingContext, archive: OpenArchive): IncomingArchiveFile {
    validateAnnouncedFile(begin, ctx.chunking);
    if (begin.path.startsWith('/') || begin.path.split('/').some((part) => part === '..' || part === '')) {
      throw new DataPlaneError(
        'path-denied',
        `path ${JSON.stringify(begin.path)} must be relative without ".."`,
        {
          path: begin.path,
        },
      );
    }
    if (begin.algorithm !== archive.store.hashAlgorithm) {
      throw new DataPlaneError(
        'io',
        `the archive at ${archive.dir} addresses chunks by ${archive.store.hashAlgorithm}, the sender hashed ${begin.path} with ${begin.algorithm}`,
        {
          path: begin.path,
          hint: `set the job's checksum to ${archive.store.hashAlgorithm}, or archive into a new folder`,
        },
      );
    }
    return new IncomingArchiveFile(begin, archive);
  }

  have(): number[] {
    return this.#have;
  }

  async writeChunk(frame: ChunkFrame): Promise<void> {
    const expected = this.begin.chunks.find(([, , hash]) => hash === frame.hash);
    if (!this.#missing.has(frame.hash) || expected === undefined) {
      throw new DataPlaneError(
        'protocol',
        `CHUNK ${frame.hash} is not a missing chunk of ${this.begin.path}`,
      );
    }
    if (frame.rawLength !== expected[1]) {
      throw new DataPlaneError(
        'protocol',
        `CHUNK ${frame.hash} says ${frame.rawLength} bytes, FILE_BEGIN said ${expected[1]}`,
      );
    }
    let raw: Uint8Array;
    try {
      raw = decompressChunk(frame.codec, frame.payload, frame.rawLength);
    } catch (cause) {
      throw new DataPlaneError('checksum', `chunk ${frame.hash} of ${this.begin.path} does not decode`, {
        cause,
      });
    }
    if (this.#algorithm.hash(raw) !== frame.hash) {
      throw new DataPlaneError(
        'checksum',
        `chunk ${frame.hash} of ${this.begin.path} does not match its hash`,
        {
          path: this.begin.path,
          hint: 'the bytes were damaged in transit or at the sender; push the file again',
        },
      );
    }
    const stored = await this.#archive.put(frame.hash, raw, { codec: frame.codec, data: frame.payload });
    if (stored.action === 'written') this.#bytesWritten += stored.storedBytes;
    this.#missing.delete(frame.hash);
  }

  async finish(): Promise<FileOk> {
    const { begin } = this;
    if (this.#missing.size > 0) {
      throw new DataPlaneError(
        'protocol',
        `FILE_END for ${begin.path} with ${this.#missing.size} chunks missing`,
      );
    }
    const entry: SnapshotEntry = {
      kind: 'file',
      path: begin.path,
      mode: begin.mode,
      mtime_ms: begin.mtimeMs,
      size: begin.size,
      hash: begin.hash,
      chunks: begin.chunks.map(([, , hash]) => hash),
    };
    await this.#archive.record(entry);
    return {
      path: begin.path,
      hash: begin.hash,
      // An empty file has nothing to find in the store: it is recorded as sent every time.
      unchanged: begin.chunks.length > 0 && this.#have.length === begin.chunks.length,
      chunksReused: this.#have.length,
      bytesWritten: this.#bytesWritten,
    };
  }

  /** Chunks already stored stay: they are addressed by content and the next push reuses them. */
  async abandon(): Promise<void> {}
}
