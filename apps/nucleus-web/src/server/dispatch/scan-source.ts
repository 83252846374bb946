import type { FileEntry__Output } from '@orbit/proto';
import type { DispatchDeps } from './dispatch-deps.ts';
import { fencedWrite, runSubject } from './lease-fence.ts';
import type { DispatchJob } from './run-readiness.ts';
import type { RunRef } from './run-transitions.ts';

const SCAN_DEADLINE_MS = 30 * 60_000;
const INSERT_BATCH = 1000;

export interface SourceFile {
  readonly path: string;
  readonly size: bigint;
  readonly mtimeMs: number;
  readonly mode: number;
  /** Another name of a file with several names in the job: its first name's path (scan order). */
  readonly hardLinkTo?: string;
}

/** The source's tree as one scan saw it. */
export interface SourceScan {
  /** Its files, by path. */
  readonly files: readonly SourceFile[];
  /** Everything else: folders, symlinks, special files. */
  readonly tree: readonly FileEntry__Output[];
}

/**
 * Asks the source Star for the job's tree (include/exclude applied there) and records one RunFile
 * row per file. Rows already present (a resumed run) keep their status.
 */
export async function scanSource(
  deps: DispatchDeps,
  run: RunRef,
  sourceStarId: string,
  job: DispatchJob & { readonly include: string[]; readonly exclude: string[] },
): Promise<SourceScan> {
  const files: SourceFile[] = [];
  const tree: FileEntry__Output[] = [];
  await deps.hub.sendCommand(
    sourceStarId,
    { scanDirectory: { path: job.sourcePath, include: job.include, exclude: job.exclude } },
    {
      deadlineMs: SCAN_DEADLINE_MS,
      onPart: (part) => {
        for (const entry of part.scanEntries?.entries ?? []) {
          if (entry.kind === 'ENTRY_KIND_FILE')
            files.push({
              path: entry.path,
              size: BigInt(entry.size),
              mtimeMs: Number(entry.mtimeUnixMs),
              mode: entry.mode,
              ...(entry.hardLinkTo ? { hardLinkTo: entry.hardLinkTo } : {}),
            });
          else tree.push(entry);
        }
      },
    },
  );
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let start = 0; start < files.length; start += INSERT_BATCH) {
    await fencedWrite(deps, 'run.scan', runSubject(run), (tx) =>
      tx.runFile.createMany({
        data: files
          .slice(start, start + INSERT_BATCH)
          .map((file) => ({ runId: run.id, path: file.path, size: file.size })),
        skipDuplicates: true,
      }),
    );
  }
  return { files, tree };
}
