import type { FileHandle } from 'node:fs/promises';
import type { ChunkRef } from '@orbit/engine/transfer/chunk-pass';
import type { FileWriter } from './file-writer.ts';
import { copyChunks } from './old-file-index.ts';

/**
 * The old file copied into the temp file at its own offsets while the sender still cuts its new
 * version along the old chunk list. A file that kept its size but not its mtime was most likely
 * edited in place, so nearly every chunk stays where it was, and the copy (the receiver's biggest
 * job in such a push) no longer waits for the chunk list. When the list arrives the copy stops after
 * the chunk in hand; each new chunk it already placed (the old chunk at that offset has the same
 * length and hash) counts as in place, and every other range is written again as planned. Nothing
 * is trusted unchecked: the temp file is verified as read back before it replaces the target.
 */
export class EarlyCopy {
  readonly #guide: readonly ChunkRef[];
  readonly #copying: Promise<void>;
  /** Bytes `[0, placed)` hold the old file's bytes. */
  #placed = 0;
  #stop = false;

  private constructor(old: FileHandle, guide: readonly ChunkRef[], writer: FileWriter, maxChunk: number) {
    this.#guide = guide;
    const steps = guide.map((chunk, index) => ({
      from: chunk.offset,
      length: chunk.length,
      to: [{ offset: chunk.offset, index }],
    }));
    this.#copying = copyChunks(
      old,
      writer,
      steps,
      maxChunk,
      (index) => {
        const chunk = guide[index];
        if (chunk !== undefined) this.#placed = chunk.offset + chunk.length;
      },
      () => this.#stop,
    );
    // Reported by `settle`; a copy nobody settles (the file was abandoned) must not go unhandled.
    this.#copying.catch(() => undefined);
  }

  static start(old: FileHandle, guide: readonly ChunkRef[], writer: FileWriter, maxChunk: number): EarlyCopy {
    return new EarlyCopy(old, guide, writer, maxChunk);
  }

  /** Stops the copy; the indices of `chunks` it left in place, ascending. A failed copy is thrown. */
  async settle(chunks: readonly ChunkRef[]): Promise<number[]> {
    this.#stop = true;
    await this.#copying;
    const old = new Map(this.#guide.map((chunk) => [chunk.offset, chunk]));
    const placed: number[] = [];
    for (const [index, chunk] of chunks.entries()) {
      if (chunk.offset + chunk.length > this.#placed) break;
      const there = old.get(chunk.offset);
      if (there?.length === chunk.length && there.hash === chunk.hash) placed.push(index);
    }
    return placed;
  }

  /** Stops the copy and waits for it, whatever became of it (the file is being abandoned). */
  async stop(): Promise<void> {
    this.#stop = true;
    await this.#copying.catch(() => undefined);
  }
}
