import { z } from 'zod';
import { appendAudit } from '../../audit/append-audit.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { idSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { type JoinTokenDto, joinTokenSelect, toJoinTokenDto } from './join-token-dto.ts';

export const revokeJoinTokenInput = z.object({ joinTokenId: idSchema });
export type RevokeJoinTokenInput = z.infer<typeof revokeJoinTokenInput>;

export async function revokeJoinToken({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: RevokeJoinTokenInput;
}): Promise<JoinTokenDto> {
  authorize(ctx, 'joinToken.revoke');
  return ctx.db.$transaction(async (tx) => {
    const token = await tx.joinToken.findFirst({
      where: { id: input.joinTokenId, teamId: ctx.team.id },
      select: joinTokenSelect,
    });
    if (!token) throw new NotFound('Join token');
    if (token.usedAt)
      throw new Conflict('This join token was already used: remove the Star it enrolled instead');
    const revoked = await tx.joinToken.update({
      where: { id: token.id },
      data: { revokedAt: token.revokedAt ?? new Date() },
      select: joinTokenSelect,
    });
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'joinToken.revoke',
      objectType: 'joinToken',
      objectId: token.id,
      before: { name: token.name, expiresAt: token.expiresAt },
    });
    return toJoinTokenDto(revoked);
  });
}
