import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { OrbitError } from '../errors.ts';
import { writeFileAtomic } from '../transfer/atomic-file.ts';

/**
 * `snapshots/<timestamp>-<id>.json`: one per archive run, the tree as it was — for each path its
 * kind, size, mtime, mode, whole-file hash and ordered chunk hashes, or a symlink's target.
 */
export const SNAPSHOTS_DIR = 'snapshots';
const SNAPSHOT_SUFFIX = '.json';

const hash = z.string().regex(/^[0-9a-f]{64}$/);
const base = { path: z.string().min(1), mode: z.number().int().nonnegative(), mtime_ms: z.number() };

export const snapshotEntrySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('dir'), ...base }),
  z.strictObject({
    kind: z.literal('file'),
    ...base,
    size: z.number().int().nonnegative(),
    hash,
    chunks: z.array(hash),
  }),
  z.strictObject({ kind: z.literal('symlink'), ...base, target: z.string() }),
]);

export const snapshotSchema = z.strictObject({
  format: z.literal('orbit-snapshot'),
  version: z.literal(1),
  id: z.string().min(1),
  job: z.string(),
  run_id: z.string(),
  created_at: z.iso.datetime(),
  source: z.string(),
  hash_algorithm: z.enum(['blake3', 'sha256']),
  /** False when some source paths could not be read; they are listed in `failures`. */
  complete: z.boolean(),
  failures: z.array(z.strictObject({ path: z.string(), message: z.string() })),
  entries: z.array(snapshotEntrySchema),
});

export type SnapshotEntry = z.infer<typeof snapshotEntrySchema>;
export type Snapshot = z.infer<typeof snapshotSchema>;

export interface SnapshotSummary {
  readonly id: string;
  readonly job: string;
  readonly runId: string;
  readonly createdAt: Date;
  readonly files: number;
  readonly bytes: number;
  readonly complete: boolean;
}

export function snapshotId(createdAt: Date, suffix: string): string {
  return `${createdAt.toISOString().replace(/[-:]/g, '')}-${suffix}`;
}

export function snapshotPath(archiveDir: string, id: string): string {
  return join(archiveDir, SNAPSHOTS_DIR, `${id}${SNAPSHOT_SUFFIX}`);
}

/** Written whole or not at all (temp file, fsync, rename): a snapshot on disk is always complete JSON. */
export async function writeSnapshot(archiveDir: string, snapshot: Snapshot): Promise<string> {
  const path = snapshotPath(archiveDir, snapshot.id);
  await writeFileAtomic(path, `${JSON.stringify(snapshotSchema.parse(snapshot))}\n`);
  return path;
}

export async function readSnapshot(archiveDir: string, id: string): Promise<Snapshot> {
  const path = snapshotPath(archiveDir, id);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new OrbitError('NOT_FOUND', `snapshot "${id}" does not exist`, {
      path,
      hint: "list the archive's snapshots (`listSnapshots`) and pick one of their ids",
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new OrbitError('CORRUPT', `snapshot "${id}" is not valid JSON`, {
      path,
      hint: 'restore the snapshot file from another copy of the archive',
      cause: error,
    });
  }
  const parsed = snapshotSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OrbitError('CORRUPT', `snapshot "${id}" is damaged: ${issue?.message ?? 'invalid'}`, {
      path,
      keyPath: issue?.path.join('.'),
      hint: 'restore the snapshot file from another copy of the archive',
    });
  }
  return parsed.data;
}

/** Snapshot ids, oldest first (ids start with their UTC timestamp, so names sort by time). */
export async function listSnapshotIds(archiveDir: string): Promise<string[]> {
  const names = await readdir(join(archiveDir, SNAPSHOTS_DIR)).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  return names
    .filter((name) => name.endsWith(SNAPSHOT_SUFFIX) && !name.startsWith('.'))
    .map((name) => name.slice(0, -SNAPSHOT_SUFFIX.length))
    .sort();
}

export async function listSnapshots(archiveDir: string): Promise<SnapshotSummary[]> {
  const summaries: SnapshotSummary[] = [];
  for (const id of await listSnapshotIds(archiveDir)) {
    const snapshot = await readSnapshot(archiveDir, id);
    let files = 0;
    let bytes = 0;
    for (const entry of snapshot.entries) {
      if (entry.kind !== 'file') continue;
      files++;
      bytes += entry.size;
    }
    summaries.push({
      id,
      job: snapshot.job,
      runId: snapshot.run_id,
      createdAt: new Date(snapshot.created_at),
      files,
      bytes,
      complete: snapshot.complete,
    });
  }
  return summaries;
}
