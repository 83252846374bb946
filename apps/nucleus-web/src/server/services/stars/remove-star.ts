import { appendAudit } from '../../audit/append-audit.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import type { StarIdInput } from './get-star.ts';

const ACTIVE_RUN_STATES = ['planning', 'running'] as const;

export async function removeStar({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: StarIdInput;
}): Promise<{ ok: true }> {
  authorize(ctx, 'star.remove');
  await ctx.db.$transaction(async (tx) => {
    const star = await tx.star.findFirst({
      where: { id: input.starId, teamId: ctx.team.id },
      select: { id: true, name: true, lifecycle: true, status: true },
    });
    if (!star) throw new NotFound('Star');
    const active = await tx.run.count({
      where: { teamId: ctx.team.id, starId: star.id, state: { in: [...ACTIVE_RUN_STATES] } },
    });
    if (active > 0)
      throw new Conflict(
        `Star "${star.name}" is executing ${active} run(s): drain it and wait, or cancel them`,
      );
    await tx.star.delete({ where: { id: star.id } });
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'star.remove',
      objectType: 'star',
      objectId: star.id,
      before: star,
    });
  });
  ctx.events.publish(ctx.team.id, { type: 'star.changed', id: input.starId });
  return { ok: true };
}
