import { z } from 'zod';
import { appendAudit } from '../../audit/append-audit.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { idSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';

export const removeMemberInput = z.object({ userId: idSchema });
export type RemoveMemberInput = z.infer<typeof removeMemberInput>;

export async function removeMember({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: RemoveMemberInput;
}): Promise<{ ok: true }> {
  authorize(ctx, 'member.remove');
  await ctx.db.$transaction(async (tx) => {
    const member = await tx.membership.findFirst({
      where: { teamId: ctx.team.id, userId: input.userId },
      select: { id: true, role: true, user: { select: { email: true } } },
    });
    if (!member) throw new NotFound('Member');
    if (member.role === 'owner') {
      const owners = await tx.membership.count({ where: { teamId: ctx.team.id, role: 'owner' } });
      if (owners <= 1) throw new Conflict('A team needs at least one owner: make someone else owner first');
    }
    await tx.membership.delete({ where: { id: member.id } });
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'member.remove',
      objectType: 'membership',
      objectId: input.userId,
      before: { email: member.user.email, role: member.role },
    });
  });
  return { ok: true };
}
