import { z } from 'zod';
import { NotFound } from '../../errors.ts';
import { idSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { runIdInput } from './get-run.ts';

/** A page holds at most this many failures (also when no limit is asked for). */
export const RUN_FAILURES_PAGE_MAX = 1000;

export const listRunFailuresInput = runIdInput.extend({
  /** The oldest this many after `after` (default and most: RUN_FAILURES_PAGE_MAX). */
  limit: z.number().int().min(1).max(RUN_FAILURES_PAGE_MAX).optional(),
  /** The id of the last failure of the previous page: this page starts after it. */
  after: idSchema.optional(),
});
export type ListRunFailuresInput = z.input<typeof listRunFailuresInput>;

export const runFailureDto = z.object({
  id: z.string(),
  path: z.string(),
  error: z.string(),
  attempts: z.number().int(),
  createdAt: z.iso.datetime(),
});
export type RunFailureDto = z.infer<typeof runFailureDto>;

/**
 * The run's dead-letter entries, files that failed after every retry, oldest first (then by id),
 * one page at a time. An `after` that names no failure of this run is a NotFound, not an empty page.
 */
export async function listRunFailures({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: ListRunFailuresInput;
}): Promise<RunFailureDto[]> {
  authorize(ctx, 'run.read');
  const { runId, limit, after } = listRunFailuresInput.parse(input);
  const run = await ctx.db.run.findFirst({
    where: { id: runId, teamId: ctx.team.id },
    select: { id: true },
  });
  if (!run) throw new NotFound('Run');
  let start: { id: string; createdAt: Date } | undefined;
  if (after !== undefined) {
    start =
      (await ctx.db.deadLetter.findFirst({
        where: { id: after, runId: run.id },
        select: { id: true, createdAt: true },
      })) ?? undefined;
    if (!start) throw new NotFound('The failure named by `after`');
  }
  const rows = await ctx.db.deadLetter.findMany({
    where: {
      runId: run.id,
      ...(start === undefined
        ? {}
        : {
            OR: [
              { createdAt: { gt: start.createdAt } },
              { createdAt: start.createdAt, id: { gt: start.id } },
            ],
          }),
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: limit ?? RUN_FAILURES_PAGE_MAX,
    select: { id: true, path: true, error: true, attempts: true, createdAt: true },
  });
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}
