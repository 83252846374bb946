import { z } from 'zod';
import { NotFound } from '../../errors.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import type { RunIdInput } from './get-run.ts';

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
  input: RunIdInput;
}): Promise<RunFailureDto[]> {
  authorize(ctx, 'run.read');
  const run = await ctx.db.run.findFirst({
    where: { id: input.runId, teamId: ctx.team.id },
    select: { id: true },
  });
  if (!run) throw new NotFound('Run');
  const rows = await ctx.db.deadLetter.findMany({
    where: { runId: run.id },
    orderBy: { createdAt: 'asc' },
    select: { id: true, path: true, error: true, attempts: true, createdAt: true },
  });
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}
