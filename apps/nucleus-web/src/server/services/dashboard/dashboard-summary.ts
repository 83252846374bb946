import { z } from 'zod';
import { ACTIVE_RUN_STATES } from '../../runs/run-state-machine.ts';
import { runDto, runSelect, toRunDto } from '../runs/run-dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';

export const dashboardSummaryDto = z.object({
  stars: z.object({ online: z.number().int(), offline: z.number().int() }),
  runsInProgress: z.array(runDto),
  recentFailures: z.array(runDto),
  /** Bytes transferred by runs that started since midnight UTC. */
  bytesMovedToday: z.number(),
  jobs: z.number().int(),
});
export type DashboardSummaryDto = z.infer<typeof dashboardSummaryDto>;

const RECENT_FAILURES = 10;

export async function dashboardSummary({ ctx }: { ctx: TeamContext }): Promise<DashboardSummaryDto> {
  authorize(ctx, 'dashboard.read');
  const teamId = ctx.team.id;
  const midnight = new Date();
  midnight.setUTCHours(0, 0, 0, 0);
  const [starCounts, inProgress, failures, moved, jobs] = await Promise.all([
    ctx.db.star.groupBy({ by: ['status'], where: { teamId }, _count: { _all: true } }),
    ctx.db.run.findMany({
      where: { teamId, state: { in: [...ACTIVE_RUN_STATES] } },
      select: runSelect,
      orderBy: { queuedAt: 'desc' },
    }),
    ctx.db.run.findMany({
      where: { teamId, state: 'failed' },
      select: runSelect,
      orderBy: { finishedAt: 'desc' },
      take: RECENT_FAILURES,
    }),
    ctx.db.run.aggregate({ where: { teamId, startedAt: { gte: midnight } }, _sum: { bytesDone: true } }),
    ctx.db.job.count({ where: { teamId } }),
  ]);
  const count = (status: 'online' | 'offline') =>
    starCounts.find((row) => row.status === status)?._count._all ?? 0;
  return {
    stars: { online: count('online'), offline: count('offline') },
    runsInProgress: inProgress.map(toRunDto),
    recentFailures: failures.map(toRunDto),
    bytesMovedToday: Number(moved._sum.bytesDone ?? 0n),
    jobs,
  };
}
