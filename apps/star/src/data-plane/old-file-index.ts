import type { FileHandle } from 'node:fs/promises';
import type { ChunkingOptions } from '@orbit/engine/chunking/chunking-options';
import type { HashAlgorithm } from '@orbit/engine/hashing/hash-algorithm';
import { type ChunkRef, chunkPass } from '@orbit/engine/transfer/chunk-pass';
import { DataPlaneError } from './data-plane-error.ts';
import type { FileWriter } from './file-writer.ts';

/** The file already at the target, cut the way the sender cuts: what the new one may reuse. */
export interface OldFileIndex {
  readonly size: number;
  /** Chunk hash → where it first occurs in the old file. */
  readonly chunks: ReadonlyMap<string, { readonly offset: number; readonly length: number }>;
  /**
   * True when the old file has exactly the announced chunks: FastCDC cuts the same content the same
   * way, so equal sizes and equal chunk hashes at equal offsets mean equal content, without a
   * second, whole-file hash pass.
   */
  sameAs(size: number, announced: readonly ChunkRef[]): boolean;
}

/** One pass over the old file: FastCDC cuts and a hash per chunk. */
export async function indexOldFile(
  handle: FileHandle,
  chunking: ChunkingOptions,
  algorithm: HashAlgorithm,
): Promise<OldFileIndex> {
  const size = (await handle.stat()).size;
  return listIndex(size, await chunkPass(handle, { chunking, algorithm, end: size }));
}

/** The index of a file of `size` bytes whose chunk list is known. */
export function listIndex(size: number, list: readonly ChunkRef[]): OldFileIndex {
  const chunks = new Map<string, { offset: number; length: number }>();
  for (const chunk of list) {
    if (!chunks.has(chunk.hash)) chunks.set(chunk.hash, { offset: chunk.offset, length: chunk.length });
  }
  return {
    size,
    chunks,
    sameAs: (announcedSize, announced) =>
      announcedSize === size &&
      announced.length === list.length &&
      announced.every((chunk, index) => {
        const old = list[index];
        return old?.offset === chunk.offset && old.length === chunk.length && old.hash === chunk.hash;
      }),
  };
}

export interface CopyStep {
  readonly from: number;
  readonly length: number;
  /** Offsets in the new file, each with the chunk index it fills. */
  readonly to: readonly { readonly offset: number; readonly index: number }[];
}

/**
 * Copies chunks from the old file into the temp file, reading the next while the last is written.
 * The bytes are not hashed again: they were hashed when indexed, and the whole temp file is
 * verified before it replaces the target, so an old file that changed meanwhile fails the file.
 * Once `stopped` says so, no further step starts.
 */
export async function copyChunks(
  from: FileHandle,
  to: FileWriter,
  steps: readonly CopyStep[],
  maxChunk: number,
  onWritten: (index: number) => void,
  stopped: () => boolean = () => false,
): Promise<void> {
  const buffers = [new Uint8Array(maxChunk), new Uint8Array(maxChunk)] as const;
  const readStep = async (step: CopyStep, buffer: Uint8Array): Promise<Uint8Array> => {
    const data = buffer.subarray(0, step.length);
    let done = 0;
    while (done < step.length) {
      const { bytesRead } = await from.read(data, done, step.length - done, step.from + done);
      if (bytesRead === 0) {
        throw new DataPlaneError('io', 'the old file at the target shrank while its chunks were reused', {
          hint: 'stop whatever writes to the destination file, then push again',
        });
      }
      done += bytesRead;
    }
    return data;
  };
  // A read that fails while the previous step is being written is reported when it is awaited.
  const start = (step: CopyStep | undefined, buffer: Uint8Array): Promise<Uint8Array> | undefined => {
    if (step === undefined) return undefined;
    const reading = readStep(step, buffer);
    reading.catch(() => undefined);
    return reading;
  };
  let next = start(steps[0], buffers[0]);
  for (const [n, step] of steps.entries()) {
    if (stopped()) {
      await next?.catch(() => undefined);
      return;
    }
    const data = await (next as Promise<Uint8Array>);
    next = start(steps[n + 1], buffers[(n + 1) % 2] as Uint8Array);
    try {
      for (const target of step.to) {
        await to.write(data, target.offset);
        onWritten(target.index);
      }
    } catch (error) {
      await next?.catch(() => undefined);
      throw error;
    }
  }
}
