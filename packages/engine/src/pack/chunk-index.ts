import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { OrbitError } from '../errors.ts';
import { openForAppend } from '../files/append-file.ts';
import { writeFileAtomic } from '../transfer/atomic-file.ts';
import { PACK_EXTENSION, type PackIndexEntry } from './pack-format.ts';
import { PackReader } from './pack-reader.ts';
import type { SealedPack } from './pack-writer.ts';

/**
 * The archive's `index`: JSON Lines, one line per sealed container listing its chunks as
 * `[hash, offset, storedLength, rawLength, codec]`. It is derived data: every line can be rebuilt
 * from the containers' own footers, which is what happens when it is damaged or behind.
 */
export const INDEX_FILE = 'index';
export const PACKS_DIR = 'packs';

export interface ChunkLocation extends PackIndexEntry {
  readonly pack: string;
}

const indexLineSchema = z.strictObject({
  pack: z.string().endsWith(PACK_EXTENSION),
  chunks: z.array(
    z.tuple([
      z.string().regex(/^[0-9a-f]{64}$/),
      z.number().int().nonnegative(),
      z.number().int().nonnegative(),
      z.number().int().nonnegative(),
      z.enum(['none', 'zstd']),
    ]),
  ),
});

export class ChunkIndex {
  readonly #byHash = new Map<string, ChunkLocation>();
  readonly #packs = new Set<string>();

  get chunkCount(): number {
    return this.#byHash.size;
  }

  get packs(): ReadonlySet<string> {
    return this.#packs;
  }

  get(hash: string): ChunkLocation | undefined {
    return this.#byHash.get(hash);
  }

  add(pack: SealedPack): void {
    this.#packs.add(pack.name);
    // The first copy of a chunk wins; a later duplicate (from an interrupted run) is never read.
    for (const entry of pack.entries) {
      if (!this.#byHash.has(entry.hash)) this.#byHash.set(entry.hash, { ...entry, pack: pack.name });
    }
  }
}

function lineOf(pack: SealedPack): string {
  const chunks = pack.entries.map((entry) => [
    entry.hash,
    entry.offset,
    entry.storedLength,
    entry.rawLength,
    entry.codec,
  ]);
  return `${JSON.stringify({ pack: pack.name, chunks })}\n`;
}

export interface OpenedIndex {
  readonly index: ChunkIndex;
  /** Containers the index names that are no longer in `packs/`. */
  readonly missingPacks: readonly string[];
}

/**
 * Loads the index and brings it level with `packs/`: a damaged index is rebuilt, containers sealed
 * after the last index write are added. With `persist`, those repairs are written back (the caller
 * must hold the store lock); without it they stay in memory (restore, listing).
 */
export async function openChunkIndex(archiveDir: string, persist: boolean): Promise<OpenedIndex> {
  const onDisk = await listPacks(archiveDir);
  const loaded = await readIndexFile(archiveDir);
  if (loaded === null) {
    const index = await indexFromPacks(archiveDir, onDisk);
    if (persist) await writeIndex(archiveDir, index.sealed);
    return { index: index.index, missingPacks: [] };
  }
  const { index } = loaded;
  for (const name of onDisk) {
    if (index.packs.has(name)) continue;
    const sealed = await footerOf(archiveDir, name);
    index.add(sealed);
    if (persist) await appendIndexLine(archiveDir, sealed);
  }
  const present = new Set(onDisk);
  return { index, missingPacks: [...index.packs].filter((name) => !present.has(name)) };
}

/** Rewrites `index` from the containers' footers alone; returns what it found. */
export async function rebuildIndex(archiveDir: string): Promise<{ packs: number; chunks: number }> {
  const { index, sealed } = await indexFromPacks(archiveDir, await listPacks(archiveDir));
  await writeIndex(archiveDir, sealed);
  return { packs: sealed.length, chunks: index.chunkCount };
}

/** Appends one sealed container's line with a single write, fsync'ed before returning. */
export async function appendIndexLine(archiveDir: string, sealed: SealedPack): Promise<void> {
  const handle = await openForAppend(join(archiveDir, INDEX_FILE));
  try {
    await handle.write(lineOf(sealed));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function listPacks(archiveDir: string): Promise<string[]> {
  const names = await readdir(join(archiveDir, PACKS_DIR)).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  return names.filter((name) => name.endsWith(PACK_EXTENSION)).sort();
}

/** Null when the index is missing or any line is damaged: the caller rebuilds it from the packs. */
async function readIndexFile(archiveDir: string): Promise<{ index: ChunkIndex } | null> {
  let text: string;
  try {
    text = await readFile(join(archiveDir, INDEX_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (text !== '' && !text.endsWith('\n')) return null;
  const index = new ChunkIndex();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let parsed: z.infer<typeof indexLineSchema>;
    try {
      parsed = indexLineSchema.parse(JSON.parse(line));
    } catch {
      return null;
    }
    index.add({
      name: parsed.pack,
      entries: parsed.chunks.map(([hash, offset, storedLength, rawLength, codec]) => ({
        hash,
        offset,
        storedLength,
        rawLength,
        codec,
      })),
    });
  }
  return { index };
}

async function indexFromPacks(
  archiveDir: string,
  names: readonly string[],
): Promise<{ index: ChunkIndex; sealed: SealedPack[] }> {
  const index = new ChunkIndex();
  const sealed: SealedPack[] = [];
  for (const name of names) {
    const pack = await footerOf(archiveDir, name);
    index.add(pack);
    sealed.push(pack);
  }
  return { index, sealed };
}

async function footerOf(archiveDir: string, name: string): Promise<SealedPack> {
  const reader = await PackReader.open(join(archiveDir, PACKS_DIR, name)).catch((error: unknown) => {
    if (error instanceof OrbitError && error.code === 'CORRUPT') {
      throw new OrbitError('CORRUPT', `cannot index container ${name}: ${error.message}`, {
        path: join(archiveDir, PACKS_DIR, name),
        hint: 'restore this container from another copy of the archive, or move it aside and run the job again',
        cause: error,
      });
    }
    throw error;
  });
  try {
    return { name, entries: reader.entries };
  } finally {
    await reader.close();
  }
}

async function writeIndex(archiveDir: string, sealed: readonly SealedPack[]): Promise<void> {
  await writeFileAtomic(join(archiveDir, INDEX_FILE), sealed.map(lineOf).join(''));
}
