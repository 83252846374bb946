import { z } from 'zod';
import { appendAudit } from '../../audit/append-audit.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { idSchema, roleSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { type MemberDto, memberSelect, toMemberDto } from './member-dto.ts';

export const updateMemberRoleInput = z.object({ userId: idSchema, role: roleSchema });
export type UpdateMemberRoleInput = z.infer<typeof updateMemberRoleInput>;

export async function updateMemberRole({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: UpdateMemberRoleInput;
}): Promise<MemberDto> {
  authorize(ctx, 'member.updateRole');
  return ctx.db.$transaction(async (tx) => {
    const member = await tx.membership.findFirst({
      where: { teamId: ctx.team.id, userId: input.userId },
      select: { id: true, role: true },
    });
    if (!member) throw new NotFound('Member');
    if (member.role === 'owner' && input.role !== 'owner') {
      const owners = await tx.membership.count({ where: { teamId: ctx.team.id, role: 'owner' } });
      if (owners <= 1) throw new Conflict('A team needs at least one owner: make someone else owner first');
    }
    const updated = await tx.membership.update({
      where: { id: member.id },
      data: { role: input.role },
      select: memberSelect,
    });
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'member.updateRole',
      objectType: 'membership',
      objectId: input.userId,
      before: { role: member.role },
      after: { role: input.role },
    });
    return toMemberDto(updated);
  });
}
