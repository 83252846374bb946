import { z } from 'zod';
import { NotFound } from '../../errors.ts';
import { idSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { type JobDto, jobSelect, toJobDto } from './job-dto.ts';

export const jobIdInput = z.object({ jobId: idSchema });
export type JobIdInput = z.infer<typeof jobIdInput>;

export async function getJob({ ctx, input }: { ctx: TeamContext; input: JobIdInput }): Promise<JobDto> {
  authorize(ctx, 'job.read');
  const job = await ctx.db.job.findFirst({
    where: { id: input.jobId, teamId: ctx.team.id },
    select: jobSelect,
  });
  if (!job) throw new NotFound('Job');
  return toJobDto(job);
}
