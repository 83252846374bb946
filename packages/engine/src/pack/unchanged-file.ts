import { sameMtime } from '../transfer/file-sync.ts';
import type { SnapshotEntry } from './snapshot.ts';

export type SnapshotFile = Extract<SnapshotEntry, { kind: 'file' }>;

/** What a scan knows of a file before reading it. */
export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly mode: number;
}

/**
 * A file's entry taken from the previous snapshot without reading the file: its size and mtime
 * match and every chunk is still in the store. `unchanged` when the mode matches too, `updated`
 * when only the mode changed (the entry takes the new mode); undefined when it must be read.
 * The CLI's archive mode and a Star receiving an archive job both decide with this.
 */
export function unchangedFile(
  before: SnapshotEntry | undefined,
  file: FileStat & { readonly path: string },
  isStored: (hash: string) => boolean,
): { readonly entry: SnapshotFile; readonly action: 'unchanged' | 'updated' } | undefined {
  if (
    before?.kind !== 'file' ||
    before.size !== file.size ||
    !sameMtime(before.mtime_ms, file.mtimeMs) ||
    !before.chunks.every(isStored)
  )
    return undefined;
  return {
    entry: {
      kind: 'file',
      path: file.path,
      mode: file.mode,
      mtime_ms: file.mtimeMs,
      size: before.size,
      hash: before.hash,
      chunks: before.chunks,
    },
    action: before.mode === file.mode ? 'unchanged' : 'updated',
  };
}
