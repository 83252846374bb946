import { type FileHandle, open } from 'node:fs/promises';
import { decompressChunk } from '../compression/compress-chunk.ts';
import { OrbitError } from '../errors.ts';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import { toFsError } from '../scan/fs-error.ts';
import {
  checkRecordHeader,
  decodeHeader,
  decodeIndex,
  decodeTrailer,
  HEADER_SIZE,
  type PackHeader,
  type PackIndexEntry,
  RECORD_HEADER_SIZE,
  TRAILER_SIZE,
} from './pack-format.ts';

/**
 * Reads one sealed container on its own: header, trailer and footer index are checked on open,
 * and every chunk read is checked against its record header and its hash.
 */
export class PackReader {
  readonly path: string;
  readonly header: PackHeader;
  readonly entries: readonly PackIndexEntry[];
  readonly #handle: FileHandle;
  readonly #byHash: ReadonlyMap<string, PackIndexEntry>;

  private constructor(path: string, handle: FileHandle, header: PackHeader, entries: PackIndexEntry[]) {
    this.path = path;
    this.#handle = handle;
    this.header = header;
    this.entries = entries;
    this.#byHash = new Map(entries.map((entry) => [entry.hash, entry]));
  }

  static async open(path: string): Promise<PackReader> {
    const handle = await open(path, 'r').catch((error: unknown) => {
      throw toFsError(error, path, 'open the container');
    });
    try {
      const { size } = await handle.stat();
      if (size < HEADER_SIZE + TRAILER_SIZE) {
        throw new OrbitError(
          'CORRUPT',
          `the container is ${size} bytes, too short to hold a header and trailer`,
          {
            path,
            hint: 'the container is truncated; restore it from another copy of the archive',
          },
        );
      }
      const header = decodeHeader(await readAt(handle, 0, HEADER_SIZE), path);
      const trailer = decodeTrailer(await readAt(handle, size - TRAILER_SIZE, TRAILER_SIZE), size, path);
      const index = await readAt(handle, trailer.indexOffset, trailer.indexLength);
      return new PackReader(path, handle, header, decodeIndex(index, trailer, path));
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  find(hash: string): PackIndexEntry | undefined {
    return this.#byHash.get(hash);
  }

  /** The chunk's original bytes; a damaged record, codec stream or hash is a CORRUPT error with its offset. */
  async readChunk(entry: PackIndexEntry): Promise<Uint8Array> {
    const record = await readAt(this.#handle, entry.offset, RECORD_HEADER_SIZE + entry.storedLength);
    const damaged = (what: string, cause?: unknown): OrbitError =>
      new OrbitError('CORRUPT', `chunk ${entry.hash} at byte offset ${entry.offset} ${what}`, {
        path: this.path,
        hint: 'the container is damaged; restore it from another copy of the archive',
        cause,
      });
    if (record.length !== RECORD_HEADER_SIZE + entry.storedLength) throw damaged('is cut short');
    checkRecordHeader(record.subarray(0, RECORD_HEADER_SIZE), entry, this.path);
    let raw: Uint8Array;
    try {
      raw = decompressChunk(entry.codec, record.subarray(RECORD_HEADER_SIZE), entry.rawLength);
    } catch (error) {
      throw damaged(`does not decode as ${entry.codec}`, error);
    }
    const actual = getHashAlgorithm(this.header.hashAlgorithm).hash(raw);
    if (actual !== entry.hash) throw damaged(`does not match its hash (the bytes hash to ${actual})`);
    return raw;
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}

/** Up to `length` bytes at `position`; fewer only at the end of the file. */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}
