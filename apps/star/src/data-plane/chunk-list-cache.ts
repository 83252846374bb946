import { lstat, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChunkingOptions } from '@orbit/engine/chunking/chunking-options';
import { isErrno, writeFileAtomic } from '@orbit/engine/transfer/atomic-file';
import type { ChunkRef } from '@orbit/engine/transfer/chunk-pass';
import { usableGuide } from '@orbit/engine/transfer/guided-chunk-pass';
import { z } from 'zod';
import { type FileIdentity, type IdentityProbe, identityChange, openIdentityProbe } from './file-identity.ts';
import { checkedJson, checkedLine, stateFileName } from './state-lines.ts';

/** What an entry was cut with: a list is only of use to a push with the same. */
export interface ChunkListKey {
  readonly algorithm: string;
  readonly chunking: ChunkingOptions;
}

/** A committed file's whole-file hash and FastCDC chunk list. */
export interface CachedChunkList {
  readonly size: number;
  readonly hash: string;
  readonly chunks: readonly ChunkRef[];
}

/**
 * Below about 16 average chunks a file is cut in milliseconds, and a tree of small files would pay
 * an entry write per file: only larger files are kept.
 */
const MIN_CHUNKS = 16;

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const entrySchema = z.object({
  target: z.string(),
  identity: z.object({
    dev: z.string(),
    ino: z.string(),
    size: count,
    mtimeNs: z.string(),
    ctimeNs: z.string(),
  }),
  algorithm: z.string(),
  chunking: z.object({ minSize: count, avgSize: count, maxSize: count }),
  hash: z.string().min(1),
  chunks: z.array(z.tuple([count, count, z.string().min(1)])),
});

/**
 * The chunk lists of the large files this receiver committed, one file per target under
 * `<stateDir>/data-plane/chunk-lists/` (named like the resume journal), so the next push of an edited
 * file needs no cut of the old copy here and the sender can cut its new one along it (READY `list`).
 * An entry counts only while the file is provably the one recorded just after its rename (inode,
 * size, mtime, ctime to the nanosecond); anything else is ignored with a logged reason. An entry that
 * lies anyway can only fail a file: copied chunks are verified with the whole temp file, and an
 * "unchanged" verdict from an entry is confirmed by hashing the old file.
 */
export class ChunkListCache {
  readonly #dir: string;
  readonly #probe: IdentityProbe | undefined;
  readonly #log: (message: string) => void;

  private constructor(dir: string, probe: IdentityProbe | undefined, log: (message: string) => void) {
    this.#dir = dir;
    this.#probe = probe;
    this.#log = log;
  }

  static async open(stateDir: string, log: (message: string) => void): Promise<ChunkListCache> {
    const dir = join(stateDir, 'data-plane', 'chunk-lists');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const opened = openIdentityProbe();
    if ('unavailable' in opened) {
      log(`chunk-list cache off (${opened.unavailable}): an edited file's old copy is cut on every push`);
    }
    return new ChunkListCache(dir, 'probe' in opened ? opened.probe : undefined, log);
  }

  /**
   * The list recorded for the file at `target`, which the caller holds open as inode `ino`, when it
   * is still that very file and was cut as `key` says; otherwise undefined (logged when stale or
   * damaged).
   */
  async load(target: string, ino: number, key: ChunkListKey): Promise<CachedChunkList | undefined> {
    if (this.#probe === undefined) return undefined;
    const path = this.#fileFor(target);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      this.#ignore(target, `cannot be read (${(error as Error).message})`);
      return undefined;
    }
    const parsed = entrySchema.safeParse(checkedJson(text.trimEnd()));
    if (!parsed.success || parsed.data.target !== target) {
      this.#ignore(target, `is damaged (${path} fails its checksum or schema)`);
      return undefined;
    }
    const entry = parsed.data;
    if (entry.algorithm !== key.algorithm || !sameChunking(entry.chunking, key.chunking)) return undefined;
    const chunks = entry.chunks.map(([offset, length, hash]) => ({ offset, length, hash }));
    const end = chunks.at(-1);
    if (!usableGuide(chunks) || end === undefined || end.offset + end.length !== entry.identity.size) {
      this.#ignore(target, `is damaged (${path}: its chunks do not cover the file)`);
      return undefined;
    }
    const now = await this.#probe(target).catch((error: unknown) => {
      this.#ignore(target, `cannot be checked (${(error as Error).message})`);
      return null;
    });
    if (now === null) return undefined;
    const why = now === undefined ? 'the file is gone' : staleness(entry.identity, now, ino);
    if (why !== undefined) {
      this.#ignore(target, `is stale (${why})`);
      return undefined;
    }
    return { size: entry.identity.size, hash: entry.hash, chunks };
  }

  /**
   * Records `list` for the file just committed at `target` (inode `ino`). A failure is logged, not
   * thrown: the file is in place, and a missing entry only costs a cut next time.
   */
  async save(target: string, ino: number, key: ChunkListKey, list: CachedChunkList): Promise<void> {
    if (this.#probe === undefined) return;
    if (list.size < MIN_CHUNKS * key.chunking.avgSize) return;
    try {
      const identity: FileIdentity | undefined = await this.#probe(target);
      if (identity === undefined || identity.ino !== String(ino) || identity.size !== list.size) {
        await this.drop(target);
        return;
      }
      const entry: z.infer<typeof entrySchema> = {
        target,
        identity,
        algorithm: key.algorithm,
        chunking: { ...key.chunking },
        hash: list.hash,
        chunks: list.chunks.map((chunk) => [chunk.offset, chunk.length, chunk.hash]),
      };
      // Not fsynced: a torn entry fails its checksum and costs one cut.
      await writeFileAtomic(this.#fileFor(target), checkedLine(entry), { durable: false });
    } catch (error) {
      this.#log(`chunk-list cache: cannot record ${target}: ${(error as Error).message}`);
    }
  }

  /**
   * Removes the entries of files that are gone and entries that are damaged (when the data plane
   * starts); an entry whose file cannot be looked at now (e.g. a root no longer allowed) stays.
   * Logs and returns how many went.
   */
  static async sweep(stateDir: string, log: (message: string) => void): Promise<number> {
    const dir = join(stateDir, 'data-plane', 'chunk-lists');
    const names = await readdir(dir).catch(() => []);
    let removed = 0;
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const file = join(dir, name);
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const parsed = entrySchema.safeParse(checkedJson(text.trimEnd()));
      const gone =
        !parsed.success ||
        (await lstat(parsed.data.target).then(
          () => false,
          (error: unknown) => isErrno(error, 'ENOENT'),
        ));
      if (!gone) continue;
      await rm(file, { force: true });
      removed += 1;
    }
    if (removed > 0)
      log(`removed ${removed} chunk-list cache entries of received files that are gone, or damaged`);
    return removed;
  }

  /** Forgets `target`'s entry, e.g. after it failed a file. */
  async drop(target: string): Promise<void> {
    await rm(this.#fileFor(target), { force: true }).catch((error: unknown) => {
      this.#log(`chunk-list cache: cannot remove the entry for ${target}: ${(error as Error).message}`);
    });
  }

  #ignore(target: string, why: string): void {
    this.#log(`chunk-list cache entry for ${target} ${why}; ignored: the old file is cut instead`);
  }

  #fileFor(target: string): string {
    return join(this.#dir, stateFileName(target, 'json'));
  }
}

function sameChunking(a: ChunkingOptions, b: ChunkingOptions): boolean {
  return a.minSize === b.minSize && a.avgSize === b.avgSize && a.maxSize === b.maxSize;
}

/** Why `now` is not the file recorded as `then` and held open as inode `ino`; undefined when it is. */
function staleness(then: FileIdentity, now: FileIdentity, ino: number): string | undefined {
  const change = now.ino === String(ino) ? identityChange(then, now) : 'ino';
  return change === undefined ? undefined : `its ${change} changed`;
}
