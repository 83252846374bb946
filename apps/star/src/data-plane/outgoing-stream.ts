import type { ChunkingOptions } from '@orbit/engine/chunking/chunking-options';
import type { HashAlgorithm, IncrementalHash } from '@orbit/engine/hashing/hash-algorithm';
import { type ChunkRef, chunkPass } from '@orbit/engine/transfer/chunk-pass';
import { type OutgoingFile, sourceChanged } from './outgoing-file.ts';

export interface StreamChunksOptions {
  readonly algorithm: HashAlgorithm;
  readonly chunking: ChunkingOptions;
  /**
   * The receiver holds `[0, from)` already, a chunk boundary of an earlier stream: those bytes are
   * hashed for the whole-file hash, not cut or sent. FastCDC restarts at every cut, so the chunks
   * after it are the ones a pass from 0 would cut.
   */
  readonly from: number;
  readonly whole: IncrementalHash;
  readonly onRead: (bytes: number) => void;
  readonly signal?: AbortSignal;
}

const PREFIX_STEP_BYTES = 8 * 1024 * 1024;

/**
 * A streamed file, front to back, cut with FastCDC as it is read (in a worker, on another core, for
 * big files under Deno): each chunk goes to `send` as soon as it is cut and hashed, its bytes valid
 * only during the call. The stream's pieces are the file's chunks, so the receiver holds its chunk
 * list afterwards without anyone cutting the file again. Resolves with the bytes cut.
 */
export async function streamChunks(
  file: OutgoingFile,
  options: StreamChunksOptions,
  send: (chunk: ChunkRef, data: Uint8Array) => Promise<void>,
): Promise<number> {
  const { whole, from } = options;
  const scratch = new Uint8Array(Math.min(PREFIX_STEP_BYTES, Math.max(1, from)));
  for (let offset = 0; offset < from; ) {
    const { bytesRead } = await file.handle.read(scratch, 0, Math.min(scratch.length, from - offset), offset);
    if (bytesRead === 0) throw sourceChanged(file.path);
    options.onRead(bytesRead);
    whole.update(scratch.subarray(0, bytesRead));
    offset += bytesRead;
  }
  let read = 0;
  await chunkPass(file.handle, {
    chunking: options.chunking,
    algorithm: options.algorithm,
    from,
    end: file.size,
    wholeHash: whole,
    ...(options.signal ? { signal: options.signal } : {}),
    onRead: (bytes) => {
      read += bytes;
      options.onRead(bytes);
    },
    onChunk: send,
  });
  if (from + read !== file.size) throw sourceChanged(file.path);
  return file.size - from;
}
