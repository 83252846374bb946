import { z } from 'zod';
import { Invalid } from '../../errors.ts';
import { RUN_FILE_STATUSES } from '../../runs/run-file-status.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { runFilesFilter, runFilesWhere } from './run-files-filter.ts';

export const listRunFilesInput = runFilesFilter.extend({
  status: z.enum(RUN_FILE_STATUSES).optional(),
  /** The previous page's nextCursor: this page starts after that file. */
  cursor: z.string().max(4096).optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type ListRunFilesInput = z.input<typeof listRunFilesInput>;

export const runFileDto = z.object({
  id: z.string(),
  path: z.string(),
  size: z.number(),
  bytesDone: z.number(),
  status: z.enum(RUN_FILE_STATUSES),
  error: z.string().nullable(),
  updatedAt: z.iso.datetime(),
});
export const runFilesPageDto = z.object({ items: z.array(runFileDto), nextCursor: z.string().nullable() });
export type RunFilesPageDto = z.infer<typeof runFilesPageDto>;

/**
 * One page of a run's files in path order. The cursor holds the last path of the page before, so a
 * page starts right after it even when files changed status meanwhile, and each page is one range
 * of the (runId, status, path) or (runId, path) index however large the run.
 */
export async function listRunFiles({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: ListRunFilesInput;
}): Promise<RunFilesPageDto> {
  authorize(ctx, 'run.read');
  const { status, cursor, limit, ...filter } = listRunFilesInput.parse(input);
  const where = await runFilesWhere(ctx, filter);
  const after = cursor === undefined ? undefined : pathOfCursor(cursor);
  const rows = await ctx.db.runFile.findMany({
    where: {
      AND: [
        where,
        { ...(status ? { status } : {}), ...(after === undefined ? {} : { path: { gt: after } }) },
      ],
    },
    orderBy: { path: 'asc' },
    take: limit + 1,
    select: { id: true, path: true, size: true, bytesDone: true, status: true, error: true, updatedAt: true },
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => ({
      ...row,
      size: Number(row.size),
      bytesDone: Number(row.bytesDone),
      updatedAt: row.updatedAt.toISOString(),
    })),
    nextCursor: rows.length > limit && last ? cursorOf(last.path) : null,
  };
}

/** Opaque to callers: they pass back what they were given. */
function cursorOf(path: string): string {
  return Buffer.from(path, 'utf8').toString('base64url');
}

function pathOfCursor(cursor: string): string {
  const path = Buffer.from(cursor, 'base64url').toString('utf8');
  if (cursorOf(path) !== cursor)
    throw new Invalid('This cursor was not given by this listing: pass back a nextCursor as it came', [
      { path: 'cursor', message: 'not a cursor of this listing' },
    ]);
  return path;
}
