import { z } from 'zod';
import { authorize, type TeamContext } from '../service-context.ts';

export const starmapDto = z.object({
  nodes: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      mode: z.enum(['copy', 'mirror', 'archive']),
      /** The latest run's state; absent when the job never ran. */
      status: z.string().optional(),
    }),
  ),
  /** Dependency → dependent. */
  edges: z.array(z.object({ from: z.string(), to: z.string() })),
});
export type StarmapDto = z.infer<typeof starmapDto>;

/**
 * The team's jobs as a graph keyed by job id. Stored jobs may span Stars and may not form a
 * plannable manifest, so this reads the graph as stored; layout is the UI's pure function.
 */
export async function jobStarmap({ ctx }: { ctx: TeamContext }): Promise<StarmapDto> {
  authorize(ctx, 'job.read');
  const jobs = await ctx.db.job.findMany({
    where: { teamId: ctx.team.id },
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      mode: true,
      dependsOn: { select: { dependsOnId: true } },
      runs: { select: { state: true }, orderBy: { queuedAt: 'desc' }, take: 1 },
    },
  });
  return {
    nodes: jobs.map((job) => ({
      id: job.id,
      label: job.name,
      mode: job.mode,
      ...(job.runs[0] ? { status: job.runs[0].state } : {}),
    })),
    edges: jobs.flatMap((job) => job.dependsOn.map((edge) => ({ from: edge.dependsOnId, to: job.id }))),
  };
}
