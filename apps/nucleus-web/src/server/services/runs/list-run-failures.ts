import { z } from 'zod';
import { NotFound } from '../../errors.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { runIdInput } from './get-run.ts';

export const listRunFailuresInput = runIdInput.extend({
  /** The oldest this many; every one when left out. */
  limit: z.number().int().min(1).max(1000).optional(),
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

/** The run's dead-letter entries: files that failed after every retry. */
export async function listRunFailures({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: ListRunFailuresInput;
}): Promise<RunFailureDto[]> {
  authorize(ctx, 'run.read');
  const { runId, limit } = listRunFailuresInput.parse(input);
  const run = await ctx.db.run.findFirst({
    where: { id: runId, teamId: ctx.team.id },
    select: { id: true },
  });
  if (!run) throw new NotFound('Run');
  const rows = await ctx.db.deadLetter.findMany({
    where: { runId: run.id },
    orderBy: { createdAt: 'asc' },
    ...(limit === undefined ? {} : { take: limit }),
    select: { id: true, path: true, error: true, attempts: true, createdAt: true },
  });
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}
