import { z } from 'zod';
import { appendAudit } from '../../audit/append-audit.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../../auth/password.ts';
import { hashToken } from '../../auth/secret-token.ts';
import { Invalid, Unauthenticated } from '../../errors.ts';
import type { ServiceContext } from '../service-context.ts';

export const acceptInvitationInput = z.object({
  token: z.string().min(10),
  /** Needed when the invited email has no account yet. */
  name: z.string().trim().min(1).max(80).optional(),
  password: z.string().min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`),
});
export type AcceptInvitationInput = z.infer<typeof acceptInvitationInput>;

export const acceptInvitationDto = z.object({
  teamSlug: z.string(),
  email: z.string(),
  newUser: z.boolean(),
});
export type AcceptInvitationDto = z.infer<typeof acceptInvitationDto>;

/**
 * Public: the token proves the invitation. An existing account proves itself with its password;
 * a new account is created with the given name and password.
 */
export async function acceptInvitation({
  ctx,
  input,
}: {
  ctx: Omit<ServiceContext, 'actor'>;
  input: AcceptInvitationInput;
}): Promise<AcceptInvitationDto> {
  const invitation = await ctx.db.invitation.findUnique({
    where: { tokenHash: hashToken(input.token) },
    select: {
      id: true,
      email: true,
      role: true,
      teamId: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      team: { select: { slug: true } },
    },
  });
  if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= new Date()) {
    throw new Invalid(
      'This invitation link is invalid, used, revoked or expired: ask the team owner for a new one',
      [{ path: 'token', message: 'not a valid invitation' }],
    );
  }
  const existing = await ctx.db.user.findUnique({
    where: { email: invitation.email },
    select: { id: true, passwordHash: true },
  });
  if (existing && !(existing.passwordHash && (await verifyPassword(existing.passwordHash, input.password)))) {
    throw new Unauthenticated(`Enter the current password of ${invitation.email} to join`);
  }
  if (!existing && !input.name) {
    throw new Invalid('Enter your name to create your account', [
      { path: 'name', message: 'required for a new account' },
    ]);
  }
  const passwordHash = existing ? null : await hashPassword(input.password);
  return ctx.db.$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: new Date() },
    });
    if (claimed.count !== 1) throw new Invalid('This invitation was used or revoked a moment ago');
    const user =
      existing ??
      (await tx.user.create({
        data: { email: invitation.email, name: input.name ?? invitation.email, passwordHash },
        select: { id: true },
      }));
    await tx.membership.upsert({
      where: { teamId_userId: { teamId: invitation.teamId, userId: user.id } },
      create: { teamId: invitation.teamId, userId: user.id, role: invitation.role },
      update: {},
    });
    await appendAudit(tx, ctx.auditKey, {
      teamId: invitation.teamId,
      actor: { type: 'user', id: user.id, label: invitation.email },
      meta: ctx.meta,
      action: 'invitation.accept',
      objectType: 'membership',
      objectId: user.id,
      after: { email: invitation.email, role: invitation.role, newUser: !existing },
    });
    return { teamSlug: invitation.team.slug, email: invitation.email, newUser: !existing };
  });
}
