import type { EntryKind__Output } from '@orbit/proto';
import type { GridHub } from './grid-hub.ts';

export interface StarDirectoryEntry {
  readonly name: string;
  readonly kind: 'file' | 'directory' | 'symlink' | 'other';
  readonly size: number;
  readonly modifiedAt: string | null;
}

export interface MatchCount {
  readonly files: number;
  readonly bytes: number;
  /** The first matching paths, relative to the scanned directory, for a preview. */
  readonly sample: readonly string[];
}

const KINDS: Record<EntryKind__Output, StarDirectoryEntry['kind']> = {
  ENTRY_KIND_UNSPECIFIED: 'other',
  ENTRY_KIND_FILE: 'file',
  ENTRY_KIND_DIRECTORY: 'directory',
  ENTRY_KIND_SYMLINK: 'symlink',
  ENTRY_KIND_OTHER: 'other',
};
const BROWSE_DEADLINE_MS = 30_000;
const COUNT_DEADLINE_MS = 5 * 60_000;
const SAMPLE_SIZE = 20;

/**
 * One level of a directory on a Star, directories first. The scan is pruned below the first level
 * (`*\/*` is anchored and covers everything under a matched directory), so huge trees stay cheap.
 */
export async function browseDirectory(
  hub: GridHub,
  starId: string,
  path: string,
): Promise<StarDirectoryEntry[]> {
  const entries: StarDirectoryEntry[] = [];
  await hub.sendCommand(
    starId,
    { scanDirectory: { path, include: [], exclude: ['*/*'] } },
    {
      deadlineMs: BROWSE_DEADLINE_MS,
      query: true,
      onPart: (part) => {
        for (const entry of part.scanEntries?.entries ?? []) {
          entries.push({
            name: entry.path,
            kind: KINDS[entry.kind],
            size: entry.size,
            modifiedAt: entry.mtimeUnixMs > 0 ? new Date(entry.mtimeUnixMs).toISOString() : null,
          });
        }
      },
    },
  );
  const rank = (entry: StarDirectoryEntry) => (entry.kind === 'directory' ? 0 : 1);
  return entries.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/**
 * How many files under `path` a job's include/exclude patterns select, and their total size.
 * `onProgress` receives running totals while a large tree is still being walked.
 */
export async function countMatches(
  hub: GridHub,
  starId: string,
  path: string,
  include: readonly string[],
  exclude: readonly string[],
  onProgress?: (soFar: { files: number; bytes: number }) => void,
): Promise<MatchCount> {
  const sample: string[] = [];
  const { result } = await hub.sendCommand(
    starId,
    { scanDirectory: { path, include: [...include], exclude: [...exclude] } },
    {
      deadlineMs: COUNT_DEADLINE_MS,
      query: true,
      ...(onProgress
        ? { onProgress: (progress) => onProgress({ files: progress.filesDone, bytes: progress.bytesDone }) }
        : {}),
      onPart: (part) => {
        for (const entry of part.scanEntries?.entries ?? []) {
          if (sample.length < SAMPLE_SIZE && entry.kind === 'ENTRY_KIND_FILE') sample.push(entry.path);
        }
      },
    },
  );
  return { files: result.scanDirectory?.files ?? 0, bytes: result.scanDirectory?.bytes ?? 0, sample };
}
