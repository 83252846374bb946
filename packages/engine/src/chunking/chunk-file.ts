import { openFileReader, READ_BLOCK_SIZE, readBufferSize } from '../hashing/file-reader.ts';
import type { HashAlgorithm } from '../hashing/hash-algorithm.ts';
import { ChunkAssembler, type ChunkHandlers, type FileChunks } from './chunk-assembler.ts';
import type { ChunkingOptions } from './chunking-options.ts';

/**
 * One streaming pass over `path`: FastCDC boundaries, each chunk's hash and the whole-file hash.
 * Memory stays at one buffer of 8 MiB + maxSize (less for small files), reused for every read.
 */
export async function chunkFile(
  path: string,
  options: ChunkingOptions,
  algorithm: HashAlgorithm,
  handlers: ChunkHandlers = {},
): Promise<FileChunks> {
  handlers.signal?.throwIfAborted();
  const reader = await openFileReader(path);
  try {
    const assembler = new ChunkAssembler(
      options,
      algorithm,
      handlers,
      READ_BLOCK_SIZE,
      readBufferSize(reader.size, READ_BLOCK_SIZE + options.maxSize),
    );
    for (;;) {
      const space = assembler.space();
      const count = await reader.read(space, 0, Math.min(space.length, READ_BLOCK_SIZE));
      if (count === 0) break;
      await assembler.commit(count);
    }
    return await assembler.finish();
  } finally {
    await reader.close();
  }
}

/** The same as `chunkFile` for bytes arriving in pieces of any size (a socket, a decoder). */
export async function chunkStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ChunkingOptions,
  algorithm: HashAlgorithm,
  handlers: ChunkHandlers = {},
): Promise<FileChunks> {
  handlers.signal?.throwIfAborted();
  const assembler = new ChunkAssembler(options, algorithm, handlers, READ_BLOCK_SIZE);
  for await (const piece of source) await assembler.write(piece);
  return await assembler.finish();
}
