import { z } from 'zod';
import { idSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { type RunDto, runSelect, toRunDto } from './run-dto.ts';

export const listRunsInput = z.object({
  jobId: idSchema.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListRunsInput = z.input<typeof listRunsInput>;

export async function listRuns({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: ListRunsInput;
}): Promise<RunDto[]> {
  authorize(ctx, 'run.read');
  const { jobId, limit } = listRunsInput.parse(input);
  const rows = await ctx.db.run.findMany({
    where: { teamId: ctx.team.id, ...(jobId ? { jobId } : {}) },
    select: runSelect,
    orderBy: { queuedAt: 'desc' },
    take: limit,
  });
  return rows.map(toRunDto);
}
