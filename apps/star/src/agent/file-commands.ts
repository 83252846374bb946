import { chunkStream, validateChunking } from '@orbit/engine/chunking/index';
import { OrbitError } from '@orbit/engine/errors';
import { getHashAlgorithm, type HashAlgorithm } from '@orbit/engine/hashing/index';
import type {
  Chunk,
  ChunkFile__Output,
  CommandResult,
  HashAlgorithm__Output,
  HashRange__Output,
  ReadHeader__Output,
  Verify__Output,
} from '@orbit/proto';
import type { JailedFile } from '../security/path-jail.ts';
import type { CommandIo } from './command-io.ts';

const MAX_HEADER_BYTES = 1024 * 1024;
const READ_BLOCK = 8 * 1024 * 1024;
/** A chunk entry is ~100 bytes on the wire; this keeps a ChunkList part well under the part limit. */
const CHUNKS_PER_PART = 4096;

const ALGORITHMS: Partial<Record<HashAlgorithm__Output, HashAlgorithm>> = {
  HASH_ALGORITHM_BLAKE3: getHashAlgorithm('blake3'),
  HASH_ALGORITHM_SHA256: getHashAlgorithm('sha256'),
};

function algorithmOf(value: HashAlgorithm__Output): HashAlgorithm {
  const algorithm = ALGORITHMS[value];
  if (!algorithm) {
    throw new OrbitError('INVALID_ARGUMENT', `hash algorithm ${value} is not supported`, {
      hint: 'send HASH_ALGORITHM_BLAKE3 or HASH_ALGORITHM_SHA256',
    });
  }
  return algorithm;
}

/** Reads `[offset, offset+length)` (length 0: to the end) in blocks, handing each to `consume`. */
async function readRange(
  file: JailedFile,
  offset: number,
  length: number,
  signal: AbortSignal,
  consume: (bytes: Uint8Array) => void | Promise<void>,
): Promise<number> {
  const size = (await file.handle.stat()).size;
  const end = length === 0 ? size : Math.min(size, offset + length);
  const buffer = new Uint8Array(Math.min(READ_BLOCK, Math.max(end - offset, 1)));
  let position = offset;
  while (position < end) {
    signal.throwIfAborted();
    const { bytesRead } = await file.handle.read(
      buffer,
      0,
      Math.min(buffer.length, end - position),
      position,
    );
    if (bytesRead === 0) break;
    await consume(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return Math.max(position - offset, 0);
}

async function withFile<T>(io: CommandIo, path: string, use: (file: JailedFile) => Promise<T>): Promise<T> {
  const file = await io.jail.open(path, 'r');
  try {
    return await use(file);
  } finally {
    await file.handle.close();
  }
}

export async function readHeader(command: ReadHeader__Output, io: CommandIo): Promise<CommandResult> {
  if (command.length > MAX_HEADER_BYTES) {
    throw new OrbitError(
      'INVALID_ARGUMENT',
      `read_header asks for ${command.length} bytes; the limit is ${MAX_HEADER_BYTES}`,
      {
        path: command.path,
        hint: 'read large ranges with hash_range or over the data plane',
      },
    );
  }
  return withFile(io, command.path, async (file) => {
    const data = new Uint8Array(command.length);
    const { bytesRead } = await file.handle.read(data, 0, command.length, command.offset);
    const size = (await file.handle.stat()).size;
    return { readHeader: { data: data.subarray(0, bytesRead), eof: command.offset + bytesRead >= size } };
  });
}

export async function hashRange(command: HashRange__Output, io: CommandIo): Promise<CommandResult> {
  const algorithm = algorithmOf(command.algorithm);
  return withFile(io, command.path, async (file) => {
    const hasher = algorithm.create();
    const length = await readRange(file, command.offset, command.length, io.signal, (bytes) =>
      hasher.update(bytes),
    );
    return { hashRange: { hash: hasher.digest(), length } };
  });
}

export async function verify(command: Verify__Output, io: CommandIo): Promise<CommandResult> {
  const algorithm = algorithmOf(command.algorithm);
  return withFile(io, command.path, async (file) => {
    const hasher = algorithm.create();
    await readRange(file, 0, 0, io.signal, (bytes) => hasher.update(bytes));
    const actualHash = hasher.digest();
    return { verify: { match: actualHash === command.expectedHash.toLowerCase(), actualHash } };
  });
}

/** FastCDC over the jailed, already-open file (never re-opened by path), chunks streamed in parts. */
export async function chunkFile(command: ChunkFile__Output, io: CommandIo): Promise<CommandResult> {
  const algorithm = algorithmOf(command.algorithm);
  const params = command.chunking;
  const options = validateChunking({
    minSize: params?.minSize ?? 0,
    avgSize: params?.avgSize ?? 0,
    maxSize: params?.maxSize ?? 0,
  });
  return withFile(io, command.path, async (file) => {
    const size = (await file.handle.stat()).size;
    let batch: Chunk[] = [];
    const flush = async (last: boolean) => {
      await io.emitPart({ chunkList: { path: command.path, chunks: batch } }, last);
      batch = [];
    };
    const result = await chunkStream(readBlocks(file, size, io.signal), options, algorithm, {
      signal: io.signal,
      onChunk: async (chunk) => {
        batch.push({ offset: chunk.offset, length: chunk.length, hash: chunk.hash });
        if (batch.length >= CHUNKS_PER_PART) {
          await flush(false);
          io.progress({
            bytesDone: chunk.offset + chunk.length,
            bytesTotal: size,
            currentPath: command.path,
          });
        }
      },
    });
    await flush(true);
    return {
      chunkFile: {
        chunks: result.chunks.length,
        fileHash: result.hash,
        size: result.size,
        parts: io.partsSent(),
      },
    };
  });
}

/**
 * One reused block: the chunk assembler copies what it is given before asking for more. It is no
 * larger than the file (plus a byte to see its end in one read): a block of 8 MiB for every small
 * file is zero-filled memory the file never uses.
 */
async function* readBlocks(file: JailedFile, size: number, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const buffer = new Uint8Array(Math.min(READ_BLOCK, size + 1));
  let position = 0;
  for (;;) {
    signal.throwIfAborted();
    const { bytesRead } = await file.handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}
