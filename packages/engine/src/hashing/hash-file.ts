import { openFileReader, readBufferSize, type SequentialFileReader } from './file-reader.ts';
import type { HashAlgorithm } from './hash-algorithm.ts';

export interface HashFileOptions {
  readonly signal?: AbortSignal;
}

export interface FileHash {
  /** Bytes actually read (the file's size unless it changed during the read). */
  readonly size: number;
  readonly hash: string;
}

/** Streams `path` through `algorithm` with one reused buffer of up to 8 MiB. */
export async function hashFile(
  path: string,
  algorithm: HashAlgorithm,
  options: HashFileOptions = {},
): Promise<FileHash> {
  options.signal?.throwIfAborted();
  const reader = await openFileReader(path);
  try {
    return await hashReader(reader, algorithm, options.signal);
  } finally {
    await reader.close();
  }
}

async function hashReader(
  reader: SequentialFileReader,
  algorithm: HashAlgorithm,
  signal: AbortSignal | undefined,
): Promise<FileHash> {
  const buffer = new Uint8Array(readBufferSize(reader.size));
  const hasher = algorithm.create();
  let size = 0;
  for (;;) {
    signal?.throwIfAborted();
    const bytesRead = await reader.read(buffer, 0, buffer.length);
    if (bytesRead === 0) break;
    hasher.update(buffer.subarray(0, bytesRead));
    size += bytesRead;
  }
  return { size, hash: hasher.digest() };
}
