import { z } from 'zod';
import { NotFound } from '../../errors.ts';
import { idSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { type RunDto, runSelect, toRunDto } from './run-dto.ts';

export const runIdInput = z.object({ runId: idSchema });
export type RunIdInput = z.infer<typeof runIdInput>;

export async function getRun({ ctx, input }: { ctx: TeamContext; input: RunIdInput }): Promise<RunDto> {
  authorize(ctx, 'run.read');
  const run = await ctx.db.run.findFirst({
    where: { id: input.runId, teamId: ctx.team.id },
    select: runSelect,
  });
  if (!run) throw new NotFound('Run');
  return toRunDto(run);
}
