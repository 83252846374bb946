import { appendAudit } from '../../audit/append-audit.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import type { StarIdInput } from './get-star.ts';
import { type StarDto, starSelect, toStarDto } from './star-dto.ts';

/** A draining Star finishes its current runs and takes no new ones. */
export async function drainStar({ ctx, input }: { ctx: TeamContext; input: StarIdInput }): Promise<StarDto> {
  authorize(ctx, 'star.drain');
  const star = await ctx.db.$transaction(async (tx) => {
    const before = await tx.star.findFirst({
      where: { id: input.starId, teamId: ctx.team.id },
      select: starSelect,
    });
    if (!before) throw new NotFound('Star');
    if (before.lifecycle === 'shutdown')
      throw new Conflict(`Star "${before.name}" is shut down: there is nothing to drain`);
    const after = await tx.star.update({
      where: { id: before.id },
      data: { lifecycle: 'draining' },
      select: starSelect,
    });
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'star.drain',
      objectType: 'star',
      objectId: before.id,
      before: { lifecycle: before.lifecycle },
      after: { lifecycle: after.lifecycle },
    });
    return after;
  });
  ctx.events.publish(ctx.team.id, { type: 'star.changed', id: star.id });
  return toStarDto(star);
}
