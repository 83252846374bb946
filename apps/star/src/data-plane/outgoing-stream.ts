import type { HashAlgorithm, IncrementalHash } from '@orbit/engine/hashing/hash-algorithm';
import type { ChunkRef } from '@orbit/engine/transfer/chunk-pass';
import { type OutgoingFile, sourceChanged } from './outgoing-file.ts';

export interface StreamPiecesOptions {
  readonly algorithm: HashAlgorithm;
  /** Size of every piece but the last. */
  readonly pieceBytes: number;
  /** The receiver holds `[0, from)` already: those bytes are hashed for the whole-file hash, not sent. */
  readonly from: number;
  readonly whole: IncrementalHash;
  readonly onRead: (bytes: number) => void;
  /** A buffer for the next piece, which the caller owns until it has sent it. */
  readonly buffer: (length: number) => Uint8Array;
  readonly signal?: AbortSignal;
}

/**
 * A streamed file, front to back, in fixed-size pieces, each with its hash. No content-defined cut:
 * the receiver has nothing to match against. The next piece is read while the caller sends this one,
 * into a buffer from `options.buffer`, which the socket may hold until the receiver acknowledges it.
 */
export async function* streamPieces(
  file: OutgoingFile,
  options: StreamPiecesOptions,
): AsyncGenerator<{ readonly chunk: ChunkRef; readonly data: Uint8Array }> {
  const { algorithm, whole } = options;
  const fill = async (data: Uint8Array, at: number): Promise<Uint8Array> => {
    let done = 0;
    while (done < data.length) {
      const { bytesRead } = await file.handle.read(data, done, data.length - done, at + done);
      if (bytesRead === 0) throw sourceChanged(file.path);
      options.onRead(bytesRead);
      done += bytesRead;
    }
    return data;
  };
  let offset = 0;
  if (options.from > 0) {
    const scratch = new Uint8Array(Math.min(8 * 1024 * 1024, options.from));
    while (offset < options.from) {
      const length = Math.min(scratch.length, options.from - offset);
      whole.update(await fill(scratch.subarray(0, length), offset));
      offset += length;
    }
  }
  const readAt = (at: number): Promise<Uint8Array> | undefined => {
    if (at >= file.size) return undefined;
    const reading = fill(options.buffer(Math.min(options.pieceBytes, file.size - at)), at);
    // Reported when awaited; a consumer that stops early must not leave it unhandled.
    reading.catch(() => undefined);
    return reading;
  };
  let next = readAt(offset);
  while (next !== undefined) {
    const data = await next;
    options.signal?.throwIfAborted();
    const at = offset;
    offset += data.length;
    next = readAt(offset);
    whole.update(data);
    yield { chunk: { offset: at, length: data.length, hash: algorithm.hash(data) }, data };
  }
}
