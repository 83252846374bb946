import { appendAudit } from '../../audit/append-audit.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { nextRunState } from '../../runs/run-state-machine.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import type { RunIdInput } from './get-run.ts';
import { type RunDto, runSelect, toRunDto } from './run-dto.ts';

export async function cancelRun({ ctx, input }: { ctx: TeamContext; input: RunIdInput }): Promise<RunDto> {
  authorize(ctx, 'run.cancel');
  const run = await ctx.db.$transaction(async (tx) => {
    const before = await tx.run.findFirst({
      where: { id: input.runId, teamId: ctx.team.id },
      select: runSelect,
    });
    if (!before) throw new NotFound('Run');
    const next = nextRunState(before.state, 'cancel');
    if (next === null)
      throw new Conflict(`This run already ${before.state === 'cancelled' ? 'was cancelled' : before.state}`);
    // Conditional on the state read above, so a Star finishing the run at the same moment wins cleanly.
    const claimed = await tx.run.updateMany({
      where: { id: before.id, state: before.state },
      data: { state: next, finishedAt: new Date(), error: `cancelled by ${ctx.actor.label}` },
    });
    if (claimed.count !== 1)
      throw new Conflict('The run changed state while cancelling: reload and try again');
    const after = await tx.run.findUniqueOrThrow({ where: { id: before.id }, select: runSelect });
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'run.cancel',
      objectType: 'run',
      objectId: before.id,
      before: { state: before.state },
      after: { state: after.state },
    });
    return after;
  });
  ctx.events.publish(ctx.team.id, { type: 'run.changed', id: run.id });
  return toRunDto(run);
}
