import type { FileEntry__Output } from '@orbit/proto';
import { GridCommandError } from '../grid/grid-command-error.ts';
import type { DispatchDeps } from './dispatch-deps.ts';

const SCAN_DEADLINE_MS = 30 * 60_000;

/**
 * Every entry a Star lists under `path` with the job's include/exclude (scanned there, streamed in
 * parts). With `missingIsEmpty` (a destination not created yet) a missing directory lists nothing;
 * otherwise it is an error: a source that vanished must not read as an empty tree to mirror.
 */
export async function listTree(
  deps: DispatchDeps,
  starId: string,
  scan: { readonly path: string; readonly include: string[]; readonly exclude: string[] },
  missingIsEmpty = false,
): Promise<FileEntry__Output[]> {
  const entries: FileEntry__Output[] = [];
  try {
    await deps.hub.sendCommand(
      starId,
      { scanDirectory: { path: scan.path, include: scan.include, exclude: scan.exclude } },
      {
        deadlineMs: SCAN_DEADLINE_MS,
        onPart: (part) => {
          entries.push(...(part.scanEntries?.entries ?? []));
        },
      },
    );
  } catch (error) {
    if (missingIsEmpty && error instanceof GridCommandError && error.code === 'ERROR_CODE_NOT_FOUND')
      return [];
    throw error;
  }
  return entries;
}
