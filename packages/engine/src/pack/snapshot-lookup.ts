import { listSnapshotIds, readSnapshot, type SnapshotEntry } from './snapshot.ts';

/** The newest snapshot of `job` in the archive, by path; empty when it has none yet. */
export async function latestSnapshotOf(archiveDir: string, job: string): Promise<Map<string, SnapshotEntry>> {
  const ids = await listSnapshotIds(archiveDir);
  for (const id of ids.reverse()) {
    const snapshot = await readSnapshot(archiveDir, id);
    if (snapshot.job === job) return new Map(snapshot.entries.map((entry) => [entry.path, entry]));
  }
  return new Map();
}
