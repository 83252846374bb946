import type { FileHandle } from 'node:fs/promises';
import type { HashAlgorithm } from '../hashing/hash-algorithm.ts';
import type { CargoRecord } from './cargo-schema.ts';

/** The first part of a file that does not match its record. */
export type ContentMismatch =
  | { readonly kind: 'chunk'; readonly index: number; readonly actual: string }
  | { readonly kind: 'whole'; readonly actual: string };

const BLOCK = 8 * 1024 * 1024;

/**
 * Read buffers for one verify run, shared by all its files: two blocks, so the next one is read
 * while the last is hashed. Sized to the largest file seen so far (up to 8 MiB each): a buffer made
 * per file cost a tree of small files more than its hashing (allocator zero-fill of 8 MiB each).
 */
export class ReadBuffers {
  #pair: [Uint8Array, Uint8Array] = [new Uint8Array(0), new Uint8Array(0)];
  readonly #limit: number;

  /** `limit`: the largest block (tests use small ones to make chunks span blocks). */
  constructor(limit = BLOCK) {
    this.#limit = limit;
  }

  for(size: number): readonly [Uint8Array, Uint8Array] {
    const want = Math.max(1, Math.min(this.#limit, size));
    if (this.#pair[0].length < want) {
      const length = Math.max(want, Math.min(this.#limit, this.#pair[0].length * 2));
      this.#pair = [new Uint8Array(length), new Uint8Array(length)];
    }
    return this.#pair;
  }
}

/**
 * Checks a regular file's bytes against `record` in one front-to-back pass: each chunk's hash in
 * order, then the whole-file hash; the first mismatch is returned. A record whose chunks do not
 * tile the file from byte 0 is checked by its whole-file hash alone. A one-chunk file is hashed
 * once, since its chunk and the whole file are the same bytes.
 */
export async function checkContent(
  handle: FileHandle,
  record: Pick<CargoRecord, 'size' | 'hash' | 'chunks'>,
  algorithm: HashAlgorithm,
  buffers: ReadBuffers,
): Promise<ContentMismatch | undefined> {
  const chunks = tiles(record.chunks, record.size) ? record.chunks : [];
  const whole = algorithm.create();
  // Chunk hashes are fed only when there are several chunks; one chunk is the whole file.
  const several = chunks.length > 1;
  let chunkIndex = 0;
  let chunkHash = algorithm.create();
  let inChunk = 0;
  const [first, second] = buffers.for(record.size);
  const block = (slot: number): Uint8Array => (slot === 0 ? first : second);
  let position = 0;
  let slot = 0;
  const read = (into: Uint8Array): Promise<number> =>
    position >= record.size
      ? Promise.resolve(0)
      : handle
          .read(into, 0, Math.min(into.length, record.size - position), position)
          .then(({ bytesRead }) => bytesRead);
  let pending = read(block(slot));
  try {
    for (;;) {
      const bytesRead = await pending;
      if (bytesRead === 0) break;
      const data = block(slot).subarray(0, bytesRead);
      position += bytesRead;
      slot ^= 1;
      // Safe: the other buffer's bytes were hashed in the previous round.
      pending = read(block(slot));
      whole.update(data);
      if (!several) continue;
      let at = 0;
      while (at < data.length && chunkIndex < chunks.length) {
        const chunk = chunks[chunkIndex] as CargoRecord['chunks'][number];
        const take = Math.min(chunk.length - inChunk, data.length - at);
        chunkHash.update(data.subarray(at, at + take));
        at += take;
        inChunk += take;
        if (inChunk < chunk.length) break;
        const actual = chunkHash.digest();
        if (actual !== chunk.hash) return { kind: 'chunk', index: chunkIndex, actual };
        chunkIndex++;
        chunkHash = algorithm.create();
        inChunk = 0;
      }
    }
  } finally {
    // Never leave a read running into a buffer the next file reuses, or on a handle about to close.
    await pending.catch(() => 0);
  }
  const actual = whole.digest();
  if (position < record.size) {
    // The file ended early (it shrank since its size was checked): the chunk it stopped in differs.
    return chunks.length > 0 ? { kind: 'chunk', index: chunkIndex, actual: '' } : { kind: 'whole', actual };
  }
  if (chunks.length === 1 && actual !== chunks[0]?.hash) return { kind: 'chunk', index: 0, actual };
  return actual === record.hash ? undefined : { kind: 'whole', actual };
}

/** True when the chunks follow each other from byte 0 and end at `size`. */
function tiles(chunks: CargoRecord['chunks'], size: number): boolean {
  let offset = 0;
  for (const chunk of chunks) {
    if (chunk.offset !== offset) return false;
    offset += chunk.length;
  }
  return chunks.length > 0 && offset === size;
}
