import { authorize, type TeamContext } from '../service-context.ts';
import { type InvitationDto, invitationSelect, toInvitationDto } from './member-dto.ts';

export async function listInvitations({ ctx }: { ctx: TeamContext }): Promise<InvitationDto[]> {
  authorize(ctx, 'invitation.read');
  const rows = await ctx.db.invitation.findMany({
    where: { teamId: ctx.team.id },
    select: invitationSelect,
    orderBy: { createdAt: 'desc' },
  });
  const now = new Date();
  return rows.map((row) => toInvitationDto(row, now));
}
