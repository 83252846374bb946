import { hashToken, TOKEN_PREFIXES } from '../../auth/secret-token.ts';
import { DomainError, Unauthenticated } from '../../errors.ts';
import type { ServiceContext, TeamContext } from '../service-context.ts';

/** Stable codes a REST client can act on (in the message, since the error code stays UNAUTHENTICATED). */
export class TokenRefused extends DomainError {
  constructor(readonly reason: 'token_missing' | 'token_invalid' | 'token_expired' | 'token_revoked') {
    const messages = {
      token_missing: 'Send an API token: Authorization: Bearer orb_…',
      token_invalid: 'This API token is not valid: create one under Admin → API tokens',
      token_expired: 'This API token has expired: create a new one under Admin → API tokens',
      token_revoked: 'This API token was revoked: create a new one under Admin → API tokens',
    } as const;
    super('UNAUTHENTICATED', `${reason}: ${messages[reason]}`);
  }
}

/**
 * Turns `Authorization: Bearer orb_…` into a team context with the token's team and role, and
 * records when the token was last used.
 */
export async function authenticateApiToken(
  ctx: Omit<ServiceContext, 'actor'>,
  authorization: string | null,
): Promise<TeamContext> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  const token = match?.[1];
  if (!token) throw new TokenRefused('token_missing');
  if (!token.startsWith(TOKEN_PREFIXES.api)) throw new TokenRefused('token_invalid');
  const row = await ctx.db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      name: true,
      role: true,
      expiresAt: true,
      revokedAt: true,
      createdById: true,
      team: { select: { id: true, slug: true, name: true } },
    },
  });
  if (!row) throw new TokenRefused('token_invalid');
  if (row.revokedAt) throw new TokenRefused('token_revoked');
  if (row.expiresAt && row.expiresAt <= new Date()) throw new TokenRefused('token_expired');
  const membership = await ctx.db.membership.findFirst({
    where: { teamId: row.team.id, userId: row.createdById },
    select: { id: true },
  });
  // A token acts for its creator; once they leave the team it stops working.
  if (!membership)
    throw new Unauthenticated('token_invalid: the user who created this API token left the team');
  await ctx.db.apiToken.update({
    where: { id: row.id },
    data: { lastUsedAt: new Date() },
    select: { id: true },
  });
  return {
    ...ctx,
    actor: { type: 'token', id: row.id, label: row.name },
    team: row.team,
    role: row.role,
    userId: row.createdById,
  };
}
