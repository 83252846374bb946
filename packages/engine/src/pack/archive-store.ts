import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { CompressedChunk } from '../compression/compress-chunk.ts';
import { OrbitError } from '../errors.ts';
import { DEFAULT_PACK_SIZE } from '../manifest/parse-manifest.ts';
import { isPartialPath, writeFileAtomic } from '../transfer/atomic-file.ts';
import { appendIndexLine, type ChunkIndex, INDEX_FILE, openChunkIndex, PACKS_DIR } from './chunk-index.ts';
import { PACK_EXTENSION, type PackHashAlgorithm } from './pack-format.ts';
import { salvagePack } from './pack-salvage.ts';
import { PACK_TEMP_SUFFIX, PackWriter } from './pack-writer.ts';
import { SNAPSHOTS_DIR } from './snapshot.ts';
import { acquireStoreLock, STORE_LOCK_FILE, type StoreLock } from './store-lock.ts';

/**
 * An archive under a job's destination:
 *   store.json   format version and the chunk-id hash algorithm (fixed when the store is created)
 *   packs/       sealed `.orbitpak` containers
 *   index        hash → container and offset (rebuildable from the containers)
 *   snapshots/   one JSON tree per run
 * Chunks are deduplicated across files and runs by their hash.
 */
export const STORE_FILE = 'store.json';

const storeFileSchema = z.strictObject({
  format: z.literal('orbit-archive'),
  version: z.literal(1),
  hash_algorithm: z.enum(['blake3', 'sha256']),
});

export interface ArchiveStoreOptions {
  /** Used only when the store is created; an existing store keeps its own. */
  readonly hashAlgorithm: PackHashAlgorithm;
  readonly packSize?: number;
}

export type PutResult =
  | { readonly action: 'reused' | 'deduplicated' }
  | { readonly action: 'written'; readonly storedBytes: number };

/** The writer's view of a store: holds the lock until `close()`. */
export class ArchiveStore {
  readonly dir: string;
  readonly hashAlgorithm: PackHashAlgorithm;
  readonly index: ChunkIndex;
  readonly #packSize: number;
  readonly #lock: StoreLock;
  /** Chunks written by this session, sealed or not: the difference between reused and deduplicated. */
  readonly #session = new Set<string>();
  #writer: PackWriter | null = null;
  #closed = false;

  private constructor(
    dir: string,
    hashAlgorithm: PackHashAlgorithm,
    index: ChunkIndex,
    packSize: number,
    lock: StoreLock,
  ) {
    this.dir = dir;
    this.hashAlgorithm = hashAlgorithm;
    this.index = index;
    this.#packSize = packSize;
    this.#lock = lock;
  }

  /** Creates or opens the store, takes its lock, settles leftovers of a crashed run and loads the index. */
  static async open(dir: string, options: ArchiveStoreOptions): Promise<ArchiveStore> {
    const packSize = options.packSize ?? DEFAULT_PACK_SIZE;
    if (!Number.isSafeInteger(packSize) || packSize < 4096) {
      throw new OrbitError('INVALID_ARGUMENT', `pack size ${packSize} is too small`, {
        keyPath: 'pack_size',
        hint: `use at least 4096 bytes; the default is ${DEFAULT_PACK_SIZE} (64 MiB)`,
      });
    }
    await refuseForeignFolder(dir);
    await mkdir(join(dir, PACKS_DIR), { recursive: true });
    await mkdir(join(dir, SNAPSHOTS_DIR), { recursive: true });
    const lock = await acquireStoreLock(dir);
    try {
      const hashAlgorithm = await readOrCreateStoreFile(dir, options.hashAlgorithm);
      await settleLeftovers(dir);
      const { index, missingPacks } = await openChunkIndex(dir, true);
      if (missingPacks.length > 0) {
        throw new OrbitError(
          'CORRUPT',
          `the archive index names container(s) missing from packs/: ${missingPacks.join(', ')}`,
          {
            path: join(dir, PACKS_DIR),
            hint: 'put the containers back from another copy; or, to accept their loss, run rebuildIndex (snapshots that used them will not restore)',
          },
        );
      }
      return new ArchiveStore(dir, hashAlgorithm, index, packSize, lock);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** Whether a chunk is stored (or being stored by this session). */
  has(hash: string): boolean {
    return this.#session.has(hash) || this.index.get(hash) !== undefined;
  }

  /**
   * Stores `raw` under `hash` unless the store already has it. `encode` runs only for new chunks;
   * containers rotate before a chunk would take the current one past the pack size.
   */
  async put(
    hash: string,
    raw: Uint8Array,
    encode: (data: Uint8Array) => CompressedChunk,
  ): Promise<PutResult> {
    if (this.#session.has(hash)) return { action: 'deduplicated' };
    if (this.index.get(hash) !== undefined) return { action: 'reused' };
    const encoded = encode(raw);
    let writer = this.#writer;
    if (
      writer !== null &&
      writer.count > 0 &&
      writer.size + PackWriter.growth(encoded.data.length) > this.#packSize
    ) {
      await this.#sealCurrent();
      writer = null;
    }
    if (writer === null) {
      writer = await PackWriter.create(join(this.dir, PACKS_DIR), this.hashAlgorithm);
      this.#writer = writer;
    }
    await writer.append(hash, encoded.codec, raw.length, encoded.data);
    this.#session.add(hash);
    return { action: 'written', storedBytes: encoded.data.length };
  }

  /** Seals the open container so every chunk put so far is durable and indexed. */
  async flush(): Promise<void> {
    await this.#sealCurrent();
  }

  /** Seals what was written and releases the lock. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#sealCurrent();
    } finally {
      await this.#lock.release();
    }
  }

  async #sealCurrent(): Promise<void> {
    const writer = this.#writer;
    if (writer === null) return;
    this.#writer = null;
    if (writer.count === 0) {
      await writer.discard();
      return;
    }
    const sealed = await writer.seal();
    this.index.add(sealed);
    await appendIndexLine(this.dir, sealed);
  }
}

const STORE_NAMES: ReadonlySet<string> = new Set([
  STORE_FILE,
  PACKS_DIR,
  SNAPSHOTS_DIR,
  INDEX_FILE,
  STORE_LOCK_FILE,
]);

/** An archive is only created in an empty folder (or one already laid out as an archive). */
async function refuseForeignFolder(dir: string): Promise<void> {
  const names: string[] = await readdir(dir).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  const foreign = names.filter(
    (name) => !STORE_NAMES.has(name) && !isPartialPath(name) && !name.startsWith(`${STORE_LOCK_FILE}.`),
  );
  if (foreign.length > 0 && !names.includes(STORE_FILE)) {
    throw new OrbitError(
      'INVALID_ARGUMENT',
      `the archive destination holds other files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''})`,
      {
        path: dir,
        hint: 'point the archive job at an empty folder or at an existing Orbit archive',
      },
    );
  }
}

async function readOrCreateStoreFile(dir: string, preferred: PackHashAlgorithm): Promise<PackHashAlgorithm> {
  const path = join(dir, STORE_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const created = { format: 'orbit-archive', version: 1, hash_algorithm: preferred } as const;
    await writeFileAtomic(path, `${JSON.stringify(created)}\n`);
    return preferred;
  }
  try {
    return storeFileSchema.parse(JSON.parse(text)).hash_algorithm;
  } catch (error) {
    throw new OrbitError(
      'CORRUPT',
      'store.json is not an Orbit archive description (format orbit-archive, version 1)',
      {
        path,
        hint: 'point the job at an Orbit archive folder, or restore store.json from another copy',
        cause: error,
      },
    );
  }
}

/**
 * What a crashed writer left: its unsealed container is sealed with the chunks it holds intact (the
 * index picks it up like any container sealed after the last index write), half-written files go.
 */
async function settleLeftovers(dir: string): Promise<void> {
  for (const name of await readdir(join(dir, PACKS_DIR))) {
    if (name.endsWith(PACK_EXTENSION + PACK_TEMP_SUFFIX)) await salvagePack(join(dir, PACKS_DIR, name));
  }
  for (const sub of [SNAPSHOTS_DIR, '.']) {
    for (const name of await readdir(join(dir, sub))) {
      if (isPartialPath(name)) await rm(join(dir, sub, name), { force: true });
    }
  }
}
