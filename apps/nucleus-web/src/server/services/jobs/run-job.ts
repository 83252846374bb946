import { appendAudit } from '../../audit/append-audit.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { ACTIVE_RUN_STATES } from '../../runs/run-state-machine.ts';
import { type RunDto, runSelect, toRunDto } from '../runs/run-dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import type { JobIdInput } from './get-job.ts';

/** Queues a run. A Star picks it up over the grid; until then it stays queued, honestly. */
export async function runJob({ ctx, input }: { ctx: TeamContext; input: JobIdInput }): Promise<RunDto> {
  authorize(ctx, 'job.run');
  const run = await ctx.db.$transaction(async (tx) => {
    const job = await tx.job.findFirst({
      where: { id: input.jobId, teamId: ctx.team.id },
      select: { id: true, name: true, sourceStarId: true },
    });
    if (!job) throw new NotFound('Job');
    await tx.$executeRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtext(${`run:${job.id}`}))`;
    const active = await tx.run.findFirst({
      where: { jobId: job.id, state: { in: [...ACTIVE_RUN_STATES] } },
      select: { id: true, state: true },
    });
    if (active)
      throw new Conflict(
        `Job "${job.name}" already has a ${active.state} run (${active.id}): cancel it or wait`,
      );
    const created = await tx.run.create({
      data: { teamId: ctx.team.id, jobId: job.id, starId: job.sourceStarId, createdById: ctx.userId },
      select: runSelect,
    });
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'job.run',
      objectType: 'run',
      objectId: created.id,
      after: { jobId: job.id, jobName: job.name, state: created.state },
    });
    return created;
  });
  ctx.events.publish(ctx.team.id, { type: 'run.changed', id: run.id });
  return toRunDto(run);
}
