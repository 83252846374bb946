import type { ArchiveReceive, PushedFile__Output } from '@orbit/proto';
import { GridCommandError } from '../grid/grid-command-error.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import type { ModeJob } from './run-modes.ts';
import type { SourceFile } from './scan-source.ts';

const ASK_DEADLINE_MS = 5 * 60_000;

/**
 * archive, before each batch is pushed: the destination Star records the files its latest snapshot
 * of the job holds unchanged (size and mtime, every chunk stored, as the CLI decides) and names
 * them, so the source does not read them again. The rest are pushed as usual.
 */
export async function archiveUnchanged(
  deps: DispatchDeps,
  job: ModeJob,
  archive: ArchiveReceive,
  files: readonly SourceFile[],
): Promise<PushedFile__Output[]> {
  const outcome = await deps.hub.sendCommand(
    job.destinationStarId,
    {
      prepareReceive: {
        jobId: job.id,
        destinationPath: job.destinationPath,
        archive,
        addFiles: true,
        expectedFiles: files.map((file) => ({
          path: file.path,
          size: Number(file.size),
          mode: file.mode,
          mtimeUnixMs: file.mtimeMs,
        })),
      },
    },
    { deadlineMs: ASK_DEADLINE_MS },
  );
  const result = outcome.result.prepareReceive;
  if (!result) throw new GridCommandError('ERROR_CODE_INTERNAL', 'prepareReceive returned no result');
  const asked = new Set(files.map((file) => file.path));
  // Only files of this batch count: a Star's answer never adds paths the source did not list.
  return result.unchanged.filter((file) => asked.has(file.path) && file.status === 'unchanged');
}
