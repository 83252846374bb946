import { z } from 'zod';
import { RUN_FILE_STATUSES, type RunFileStatusName } from '../../runs/run-file-status.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { type RunFilesFilter, runFilesFilter, runFilesWhere } from './run-files-filter.ts';

export const runFileCountsDto = z.object({
  /** Files the filter covers, whatever their status. */
  total: z.number().int(),
  /** Every status, 0 when no file has it. */
  byStatus: z.record(z.enum(RUN_FILE_STATUSES), z.number().int()),
});
export type RunFileCountsDto = z.infer<typeof runFileCountsDto>;

/** How many of a run's files (those whose path matches, when given) have each status. */
export async function countRunFiles({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: RunFilesFilter;
}): Promise<RunFileCountsDto> {
  authorize(ctx, 'run.read');
  const where = await runFilesWhere(ctx, runFilesFilter.parse(input));
  const groups = await ctx.db.runFile.groupBy({ by: ['status'], where, _count: { _all: true } });
  const byStatus = Object.fromEntries(RUN_FILE_STATUSES.map((status) => [status, 0])) as Record<
    RunFileStatusName,
    number
  >;
  for (const group of groups) byStatus[group.status] = group._count._all;
  return { total: groups.reduce((sum, group) => sum + group._count._all, 0), byStatus };
}
