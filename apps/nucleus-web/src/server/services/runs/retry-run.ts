import { appendAudit } from '../../audit/append-audit.ts';
import type { Prisma } from '../../db/create-db.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { ACTIVE_RUN_STATES, canRetry } from '../../runs/run-state-machine.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import type { RunIdInput } from './get-run.ts';
import { type RunDto, runSelect, toRunDto } from './run-dto.ts';

/** A retry is a new queued run of the same job, linked to the one it retries. */
export async function retryRun({ ctx, input }: { ctx: TeamContext; input: RunIdInput }): Promise<RunDto> {
  authorize(ctx, 'run.retry');
  const run = await ctx.db.$transaction(async (tx) => {
    const previous = await tx.run.findFirst({
      where: { id: input.runId, teamId: ctx.team.id },
      select: { id: true, state: true, attempt: true, jobId: true, starId: true, checkpoints: true },
    });
    if (!previous) throw new NotFound('Run');
    if (!canRetry(previous.state))
      throw new Conflict(`Only failed or cancelled runs can be retried; this one is ${previous.state}`);
    await tx.$executeRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtext(${`run:${previous.jobId}`}))`;
    const active = await tx.run.findFirst({
      where: { jobId: previous.jobId, state: { in: [...ACTIVE_RUN_STATES] } },
      select: { id: true, state: true },
    });
    if (active)
      throw new Conflict(`The job already has a ${active.state} run (${active.id}): cancel it or wait`);
    const created = await tx.run.create({
      data: {
        teamId: ctx.team.id,
        jobId: previous.jobId,
        starId: previous.starId,
        attempt: previous.attempt + 1,
        retryOfId: previous.id,
        // Only the push the run left in flight carries over, for the dispatcher to stop it first (the
        // Stars resume from their own journals); what the earlier run did stays that run's figures.
        checkpoints: pushInFlight(previous.checkpoints),
        createdById: ctx.userId,
      },
      select: runSelect,
    });
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'run.retry',
      objectType: 'run',
      objectId: created.id,
      after: { retryOf: previous.id, attempt: created.attempt },
    });
    return created;
  });
  ctx.events.publish(ctx.team.id, { type: 'run.changed', id: run.id });
  return toRunDto(run);
}

function pushInFlight(checkpoints: unknown): { push?: Prisma.InputJsonValue } {
  const push = (checkpoints as { push?: Prisma.InputJsonValue } | null)?.push;
  return push === undefined ? {} : { push };
}
