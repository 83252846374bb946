import { randomBytes } from 'node:crypto';
import type { CompressedChunk } from '@orbit/engine/compression/compress-chunk';
import { OrbitError } from '@orbit/engine/errors';
import { ArchiveStore, type PutResult } from '@orbit/engine/pack/archive-store';
import { type Snapshot, type SnapshotEntry, snapshotId, writeSnapshot } from '@orbit/engine/pack/snapshot';
import { latestSnapshotOf } from '@orbit/engine/pack/snapshot-lookup';
import { type FileStat, type SnapshotFile, unchangedFile } from '@orbit/engine/pack/unchanged-file';
import { installLibcProcessProbe } from '../native/process-probe.ts';
import { type ArchiveRun, type ArchiveRunHead, ArchiveRunJournal } from './archive-run-journal.ts';

/** A source file as the scan saw it, path relative to the source root. */
export type FileAtSource = FileStat & { readonly path: string };

/** What a run's snapshot needs besides the entries the Star recorded. */
export interface SnapshotFacts {
  readonly jobName: string;
  readonly runId: string;
  readonly sourcePath: string;
  readonly failures: readonly { path: string; message: string }[];
}

/**
 * An archive job's store, held open (and locked) on the destination Star from PrepareReceive to
 * FinishArchive. Puts from every data-plane session of the job go through one queue: a container
 * is appended to by one writer at a time. The run's entries are kept in memory and in its journal,
 * so a Star killed mid-run reopens the store with them (`reopen`).
 */
export class OpenArchive {
  readonly dir: string;
  readonly store: ArchiveStore;
  readonly journal: ArchiveRunJournal;
  readonly #entries = new Map<string, SnapshotEntry>();
  #previous: Promise<Map<string, SnapshotEntry>> | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(dir: string, store: ArchiveStore, journal: ArchiveRunJournal) {
    this.dir = dir;
    this.store = store;
    this.journal = journal;
  }

  /** Opens the store for a new run of the job; its journal starts afresh. */
  static async open(
    dir: string,
    stateDir: string,
    jobId: string,
    head: ArchiveRunHead,
  ): Promise<OpenArchive> {
    const store = await openStore(dir, head);
    try {
      return new OpenArchive(dir, store, await ArchiveRunJournal.start(stateDir, jobId, head));
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /**
   * Opens the store again after this Star restarted mid-run (the store salvages the container the
   * dead process was filling) with the entries its journal kept. A file entry whose chunks are not
   * all stored (its container was lost to a crash of the machine, not just of the Star) is dropped:
   * a snapshot never names a file it cannot restore. Returns how many were dropped.
   */
  static async reopen(dir: string, run: ArchiveRun): Promise<{ archive: OpenArchive; dropped: number }> {
    const archive = new OpenArchive(dir, await openStore(dir, run.head), run.journal);
    let dropped = 0;
    for (const entry of run.entries) {
      if (entry.kind === 'file' && !entry.chunks.every((hash) => archive.store.has(hash))) {
        archive.#entries.delete(entry.path);
        dropped++;
      } else archive.#entries.set(entry.path, entry);
    }
    return { archive, dropped };
  }

  /** Stores a verified chunk in the encoding it arrived in, unless the store has it already. */
  put(hash: string, raw: Uint8Array, encoded: CompressedChunk): Promise<PutResult> {
    const next = this.#queue.then(() => this.store.put(hash, raw, () => encoded));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Records, without reading them, the files whose entry the job's latest snapshot already holds
   * (same size and mtime, every chunk stored: the engine's `unchangedFile`, as the CLI decides).
   */
  async keepUnchanged(jobName: string, files: readonly FileAtSource[]): Promise<SnapshotFile[]> {
    this.#previous ??= latestSnapshotOf(this.dir, jobName);
    const previous = await this.#previous;
    const kept: SnapshotFile[] = [];
    for (const file of files) {
      const found = unchangedFile(previous.get(file.path), file, (hash) => this.store.has(hash));
      if (found === undefined) continue;
      await this.record(found.entry);
      kept.push(found.entry);
    }
    return kept;
  }

  /** Records an entry of the run, in its journal too, before anyone is told it arrived. */
  async record(entry: SnapshotEntry): Promise<void> {
    this.#entries.set(entry.path, entry);
    await this.journal.append(entry);
  }

  files(): SnapshotEntry[] {
    return [...this.#entries.values()].filter((entry) => entry.kind === 'file');
  }

  /** Seals what was stored, checks every recorded chunk is in the store, writes the snapshot. */
  async writeSnapshot(facts: SnapshotFacts): Promise<{ id: string; files: number; chunks: number }> {
    await this.#queue;
    await this.store.flush();
    const chunks = new Set<string>();
    for (const entry of this.#entries.values()) {
      if (entry.kind !== 'file') continue;
      for (const hash of entry.chunks) chunks.add(hash);
    }
    const lost = [...chunks].filter((hash) => !this.store.has(hash));
    if (lost.length > 0) {
      throw new OrbitError(
        'CORRUPT',
        `${lost.length} chunk(s) this run recorded are not in the store (e.g. ${lost[0]}); no snapshot was written`,
        { path: this.dir, hint: 'run the job again: the chunks the store lacks are sent again' },
      );
    }
    const createdAt = new Date();
    const entries = [...this.#entries.values()].sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
    );
    const snapshot: Snapshot = {
      format: 'orbit-snapshot',
      version: 1,
      id: snapshotId(createdAt, `${slug(facts.runId)}-${randomBytes(3).toString('hex')}`),
      job: facts.jobName,
      run_id: facts.runId,
      created_at: createdAt.toISOString(),
      source: facts.sourcePath,
      hash_algorithm: this.store.hashAlgorithm,
      complete: facts.failures.length === 0,
      failures: [...facts.failures],
      entries,
    };
    await writeSnapshot(this.dir, snapshot);
    return {
      id: snapshot.id,
      files: entries.filter((entry) => entry.kind === 'file').length,
      chunks: chunks.size,
    };
  }

  /** Seals what was stored and unlocks the store; the journal stays unless the run's snapshot is written. */
  async close(): Promise<void> {
    await this.#queue;
    try {
      await this.store.close();
    } finally {
      await this.journal.close();
    }
  }
}

function openStore(dir: string, head: ArchiveRunHead): Promise<ArchiveStore> {
  // A lock left by this Star's previous life is taken over only if its holder is known dead.
  installLibcProcessProbe();
  return ArchiveStore.open(dir, {
    hashAlgorithm: head.algorithm,
    ...(head.packSize > 0 ? { packSize: head.packSize } : {}),
  });
}

/** A run id made safe and short for a file name (as the CLI's archive mode does). */
function slug(runId: string): string {
  return runId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 16) || 'run';
}
