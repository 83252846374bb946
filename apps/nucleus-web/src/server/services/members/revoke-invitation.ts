import { z } from 'zod';
import { appendAudit } from '../../audit/append-audit.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { idSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { type InvitationDto, invitationSelect, toInvitationDto } from './member-dto.ts';

export const revokeInvitationInput = z.object({ invitationId: idSchema });
export type RevokeInvitationInput = z.infer<typeof revokeInvitationInput>;

export async function revokeInvitation({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: RevokeInvitationInput;
}): Promise<InvitationDto> {
  authorize(ctx, 'invitation.revoke');
  return ctx.db.$transaction(async (tx) => {
    const invitation = await tx.invitation.findFirst({
      where: { id: input.invitationId, teamId: ctx.team.id },
      select: invitationSelect,
    });
    if (!invitation) throw new NotFound('Invitation');
    if (invitation.acceptedAt)
      throw new Conflict('This invitation was already accepted: remove the member instead');
    const revoked = await tx.invitation.update({
      where: { id: invitation.id },
      data: { revokedAt: invitation.revokedAt ?? new Date() },
      select: invitationSelect,
    });
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'invitation.revoke',
      objectType: 'invitation',
      objectId: invitation.id,
      before: { email: invitation.email, role: invitation.role },
    });
    return toInvitationDto(revoked);
  });
}
