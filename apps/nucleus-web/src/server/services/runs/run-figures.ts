import { z } from 'zod';

const count = z.number().int();

/**
 * What the dispatcher recorded a run did, beyond its progress columns: the push counters, and the
 * figures of the steps before and after the pushes. Each is null when the run has none (a figure
 * recorded by an older Nucleus than the one that added it is null too, never a made-up 0).
 */
export const runFiguresDto = z.object({
  /** The pushes, summed over the batches of the run's latest attempt; null before its first batch. */
  transfer: z
    .object({
      /** Source bytes read: the chunking pass plus the chunks read again to send. */
      bytesRead: z.number().nullable(),
      /** Source bytes FastCDC cut into chunks. */
      cutBytes: z.number().nullable(),
      /** Source bytes only hashed along the chunk list of the destination's previous version. */
      guidedBytes: z.number().nullable(),
      /** Bytes the source Star wrote to the connection to the destination, headers included. */
      wireBytes: z.number().nullable(),
      /** Bytes of the chunks the destination did not have. */
      newBytes: z.number().nullable(),
      chunksSent: count.nullable(),
      chunksReused: count.nullable(),
      filesSent: count.nullable(),
      /** Files the destination already held as they are. */
      filesUnchanged: count.nullable(),
      filesFailed: count.nullable(),
    })
    .nullable(),
  /**
   * A copy's or mirror's later names of files with several names in the source: made hard links to
   * the file that arrived (or found so already), copied where the destination cannot link, failed.
   */
  hardLinks: z.object({ linked: count, unchanged: count, copies: count, failed: count }).nullable(),
  /**
   * A mirror's paths where the destination held another kind of entry than the source (a folder, a
   * file, a symlink), replaced before the pushes; the entries removed for them, and those that could not be.
   */
  mirrorReplaced: z.object({ paths: count, removed: count, notRemoved: count }).nullable(),
});
export type RunFiguresDto = z.infer<typeof runFiguresDto>;

const hardLinksCheckpoint = z.object({
  hardLinked: count,
  hardLinksUnchanged: count.default(0),
  hardLinkCopies: count.default(0),
  hardLinksFailed: count.default(0),
});
const mirrorReplaceCheckpoint = z.object({ paths: count, removed: count, notRemoved: count });

/** The figures from `Run.checkpoints` (`transfer`, the mode's `copy`/`mirror`, `mirrorReplace`). */
export function runFigures(checkpoints: unknown): RunFiguresDto {
  const stored = (checkpoints ?? {}) as Record<string, unknown>;
  const links = hardLinksCheckpoint.safeParse(stored.copy ?? stored.mirror);
  const replaced = mirrorReplaceCheckpoint.safeParse(stored.mirrorReplace);
  return {
    transfer: transferFigures(stored.transfer),
    hardLinks: links.success
      ? {
          linked: links.data.hardLinked,
          unchanged: links.data.hardLinksUnchanged,
          copies: links.data.hardLinkCopies,
          failed: links.data.hardLinksFailed,
        }
      : null,
    mirrorReplaced: replaced.success ? replaced.data : null,
  };
}

function transferFigures(stored: unknown): RunFiguresDto['transfer'] {
  if (typeof stored !== 'object' || stored === null) return null;
  const totals = stored as Record<string, unknown>;
  const figure = (key: string) => {
    const value = totals[key];
    return typeof value === 'number' ? value : null;
  };
  return {
    bytesRead: figure('bytesRead'),
    cutBytes: figure('cutBytes'),
    guidedBytes: figure('guidedBytes'),
    wireBytes: figure('wireBytes'),
    newBytes: figure('newBytes'),
    chunksSent: figure('chunksSent'),
    chunksReused: figure('chunksReused'),
    filesSent: figure('filesSent'),
    filesUnchanged: figure('filesUnchanged'),
    filesFailed: figure('filesFailed'),
  };
}
