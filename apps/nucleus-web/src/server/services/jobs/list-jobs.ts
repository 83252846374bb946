import { z } from 'zod';
import { authorize, type TeamContext } from '../service-context.ts';
import { type JobDto, jobSelect, toJobDto } from './job-dto.ts';

export const listJobsInput = z.object({
  /** The state of the job's latest run; "never" for jobs that never ran. */
  status: z.enum(['never', 'queued', 'planning', 'running', 'succeeded', 'failed', 'cancelled']).optional(),
  search: z.string().trim().max(100).optional(),
  mode: z.enum(['copy', 'mirror', 'archive']).optional(),
});
export type ListJobsInput = z.infer<typeof listJobsInput>;

export async function listJobs({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: ListJobsInput;
}): Promise<JobDto[]> {
  authorize(ctx, 'job.read');
  const rows = await ctx.db.job.findMany({
    where: {
      teamId: ctx.team.id,
      ...(input.mode ? { mode: input.mode } : {}),
      ...(input.search
        ? {
            OR: [
              { name: { contains: input.search, mode: 'insensitive' } },
              { sourcePath: { contains: input.search, mode: 'insensitive' } },
              { destinationPath: { contains: input.search, mode: 'insensitive' } },
            ],
          }
        : {}),
    },
    select: jobSelect,
    orderBy: { name: 'asc' },
  });
  const jobs = rows.map(toJobDto);
  if (!input.status) return jobs;
  return jobs.filter((job) => (job.lastRun?.state ?? 'never') === input.status);
}
