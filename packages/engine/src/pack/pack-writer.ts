import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CodecName } from '../compression/codec.ts';
import { OrbitError } from '../errors.ts';
import { fsyncDirectory } from '../transfer/atomic-file.ts';
import {
  encodeHeader,
  encodeIndex,
  encodeRecordHeader,
  encodeTrailer,
  HEADER_SIZE,
  INDEX_ENTRY_SIZE,
  indexChecksum,
  PACK_EXTENSION,
  type PackHashAlgorithm,
  type PackIndexEntry,
  RECORD_HEADER_SIZE,
  TRAILER_SIZE,
} from './pack-format.ts';

/** Temp containers carry this suffix until sealed; a store removes leftovers when it opens. */
export const PACK_TEMP_SUFFIX = '.tmp';

export interface SealedPack {
  readonly name: string;
  readonly entries: readonly PackIndexEntry[];
}

/**
 * Writes one container under `<name>.orbitpak.tmp` and renames it to `<name>.orbitpak` only once
 * the index and trailer are on disk and fsync'ed, so a finished name always means a whole container.
 */
export class PackWriter {
  readonly name: string;
  readonly #dir: string;
  readonly #handle: FileHandle;
  readonly #entries: PackIndexEntry[] = [];
  #position = HEADER_SIZE;
  #done = false;

  private constructor(dir: string, name: string, handle: FileHandle) {
    this.#dir = dir;
    this.name = name;
    this.#handle = handle;
  }

  static async create(
    dir: string,
    hashAlgorithm: PackHashAlgorithm,
    createdAt: Date = new Date(),
  ): Promise<PackWriter> {
    const stamp = createdAt
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const name = `${stamp}-${randomBytes(6).toString('hex')}${PACK_EXTENSION}`;
    const handle = await open(join(dir, name + PACK_TEMP_SUFFIX), 'wx');
    try {
      await handle.write(encodeHeader(hashAlgorithm, createdAt), 0, HEADER_SIZE, 0);
    } catch (error) {
      await handle.close();
      await rm(join(dir, name + PACK_TEMP_SUFFIX), { force: true });
      throw error;
    }
    return new PackWriter(dir, name, handle);
  }

  /**
   * Takes over a temp container a writer that died left behind, holding `entries` (checked by the
   * caller) up to `position`; whatever follows them is cut off. Seal it to keep them.
   */
  static async resume(
    tempPath: string,
    entries: readonly PackIndexEntry[],
    position: number,
  ): Promise<PackWriter> {
    const name = basename(tempPath, PACK_TEMP_SUFFIX);
    const handle = await open(tempPath, 'r+');
    try {
      await handle.truncate(position);
    } catch (error) {
      await handle.close();
      throw error;
    }
    const writer = new PackWriter(dirname(tempPath), name, handle);
    writer.#entries.push(...entries);
    writer.#position = position;
    return writer;
  }

  /** Bytes the container will have if sealed now. */
  get size(): number {
    return this.#position + this.#entries.length * INDEX_ENTRY_SIZE + TRAILER_SIZE;
  }

  get count(): number {
    return this.#entries.length;
  }

  /** What one more chunk of `storedLength` bytes adds to `size`. */
  static growth(storedLength: number): number {
    return RECORD_HEADER_SIZE + storedLength + INDEX_ENTRY_SIZE;
  }

  async append(hash: string, codec: CodecName, rawLength: number, data: Uint8Array): Promise<PackIndexEntry> {
    const entry: PackIndexEntry = {
      hash,
      offset: this.#position,
      storedLength: data.length,
      rawLength,
      codec,
    };
    const header = encodeRecordHeader(entry);
    const { bytesWritten } = await this.#handle.writev([header, data], this.#position);
    if (bytesWritten !== header.length + data.length) {
      throw new OrbitError('IO', `short write: ${bytesWritten} of ${header.length + data.length} bytes`, {
        path: join(this.#dir, this.name + PACK_TEMP_SUFFIX),
        hint: 'check free space on the archive disk, then run the job again',
      });
    }
    this.#position += bytesWritten;
    this.#entries.push(entry);
    return entry;
  }

  async seal(): Promise<SealedPack> {
    this.#finish();
    const index = encodeIndex(this.#entries);
    const trailer = encodeTrailer({
      indexOffset: this.#position,
      indexLength: index.length,
      indexChecksum: indexChecksum(index),
    });
    try {
      await this.#handle.writev([index, trailer], this.#position);
      await this.#handle.sync();
    } finally {
      await this.#handle.close();
    }
    await rename(join(this.#dir, this.name + PACK_TEMP_SUFFIX), join(this.#dir, this.name));
    await fsyncDirectory(this.#dir);
    return { name: this.name, entries: [...this.#entries] };
  }

  /** Drops the unsealed container; nothing refers to it yet. */
  async discard(): Promise<void> {
    this.#finish();
    await this.#handle.close();
    await rm(join(this.#dir, this.name + PACK_TEMP_SUFFIX), { force: true });
  }

  #finish(): void {
    if (this.#done) {
      throw new OrbitError('INVALID_ARGUMENT', `container ${this.name} is already sealed or discarded`, {
        path: join(this.#dir, this.name),
        hint: 'create a new PackWriter for more chunks',
      });
    }
    this.#done = true;
  }
}
