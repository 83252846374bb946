import type { HashAlgorithm } from '@orbit/engine/hashing/hash-algorithm';
import type { ChunkRef } from '@orbit/engine/transfer/chunk-pass';
import { DataPlaneError } from './data-plane-error.ts';
import { decodedChunk } from './incoming-checks.ts';
import { verifiedPrefix } from './incoming-resume.ts';
import type { IncomingTemp } from './incoming-temp.ts';
import type { IncomingResumePoint } from './receiver-journal.ts';
import { type ChunkFrame, isRepeat } from './wire-frames.ts';

/**
 * A streamed file (READY `stream`): pieces arrive in file order and are appended to the temp file,
 * which is hashed as it is written. A piece is not hashed on its own here: the whole-file hash at
 * FILE_END covers every byte, and the hash each CHUNK names is only journalled, to be checked
 * against the disk before a resume trusts it.
 */
export class IncomingStream {
  /** The file's pieces so far; shared with the temp file's journal records. */
  readonly #chunks: ChunkRef[];
  readonly #path: string;
  readonly #size: number;
  readonly #maxChunk: number;
  /** Hash → index of its first piece, for repeats (a CHUNK with an empty payload). */
  readonly #first = new Map<string, number>();
  #offset = 0;

  constructor(chunks: ChunkRef[], file: { path: string; size: number; maxChunk: number }) {
    this.#chunks = chunks;
    this.#path = file.path;
    this.#size = file.size;
    this.#maxChunk = file.maxChunk;
  }

  /** Bytes in place: where the sender starts, and at FILE_END, the file's size. */
  get offset(): number {
    return this.#offset;
  }

  /** Takes over the prefix of an earlier streamed attempt that still hashes right; returns its pieces. */
  async resume(temp: IncomingTemp, point: IncomingResumePoint, algorithm: HashAlgorithm): Promise<number> {
    let kept = 0;
    await verifiedPrefix(temp, point, algorithm, (chunk, data) => {
      const index = this.#add(chunk);
      temp.adopt(index, data, chunk.offset);
      kept++;
    });
    return kept;
  }

  /** The next piece of the file, or a repeat of one already written. */
  async append(frame: ChunkFrame, temp: IncomingTemp): Promise<void> {
    const offset = this.#offset;
    const length = frame.rawLength;
    if (length === 0 || length > this.#maxChunk || offset + length > this.#size) {
      throw new DataPlaneError(
        'protocol',
        `CHUNK of ${length} bytes at ${offset} does not fit streamed ${this.#path} (${this.#size} bytes)`,
      );
    }
    let data: Uint8Array;
    if (isRepeat(frame)) {
      const first = this.#first.get(frame.hash);
      const earlier = first === undefined ? undefined : this.#chunks[first];
      if (earlier === undefined || earlier.length !== length) {
        throw new DataPlaneError('protocol', `CHUNK ${frame.hash} repeats no earlier chunk of ${this.#path}`);
      }
      data = await temp.read(earlier.offset, length);
    } else data = decodedChunk(frame, this.#path);
    const index = this.#add({ offset, length, hash: frame.hash });
    await temp.write(index, data, offset);
  }

  #add(chunk: ChunkRef): number {
    const index = this.#chunks.length;
    this.#chunks.push(chunk);
    if (!this.#first.has(chunk.hash)) this.#first.set(chunk.hash, index);
    this.#offset += chunk.length;
    return index;
  }
}
