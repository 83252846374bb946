import { z } from 'zod';
import { appendAudit } from '../../audit/append-audit.ts';
import { generateToken, hashToken } from '../../auth/secret-token.ts';
import { Conflict } from '../../errors.ts';
import { roleSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { invitationDto, invitationSelect, toInvitationDto } from './member-dto.ts';

export const inviteMemberInput = z.object({
  email: z.email().transform((email) => email.toLowerCase()),
  role: roleSchema,
  expiresInDays: z.number().int().min(1).max(30).default(7),
});
export type InviteMemberInput = z.input<typeof inviteMemberInput>;

export const invitationCreatedDto = z.object({
  invitation: invitationDto,
  /** Shown once: only its hash is stored. */
  token: z.string(),
  acceptUrl: z.string(),
});
export type InvitationCreatedDto = z.infer<typeof invitationCreatedDto>;

export async function inviteMember({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: InviteMemberInput;
}): Promise<InvitationCreatedDto> {
  authorize(ctx, 'member.invite');
  const { email, role, expiresInDays } = inviteMemberInput.parse(input);
  const token = generateToken('invitation');
  const invitation = await ctx.db.$transaction(async (tx) => {
    const existing = await tx.membership.findFirst({
      where: { teamId: ctx.team.id, user: { email } },
      select: { id: true },
    });
    if (existing)
      throw new Conflict(`${email} is already a member of ${ctx.team.name}`, [
        { path: 'email', message: 'already a member' },
      ]);
    const created = await tx.invitation.create({
      data: {
        teamId: ctx.team.id,
        email,
        role,
        tokenHash: hashToken(token),
        invitedById: ctx.userId,
        expiresAt: new Date(Date.now() + expiresInDays * 24 * 3600 * 1000),
      },
      select: invitationSelect,
    });
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'member.invite',
      objectType: 'invitation',
      objectId: created.id,
      after: { email, role, expiresAt: created.expiresAt },
    });
    return created;
  });
  return {
    invitation: toInvitationDto(invitation),
    token,
    acceptUrl: `${ctx.publicUrl}/invite?token=${encodeURIComponent(token)}`,
  };
}
