import { z } from 'zod';
import { appendAudit } from '../../audit/append-audit.ts';
import { NotFound } from '../../errors.ts';
import { idSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { type ApiTokenDto, apiTokenSelect, toApiTokenDto } from './api-token-dto.ts';

export const revokeApiTokenInput = z.object({ apiTokenId: idSchema });
export type RevokeApiTokenInput = z.infer<typeof revokeApiTokenInput>;

export async function revokeApiToken({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: RevokeApiTokenInput;
}): Promise<ApiTokenDto> {
  authorize(ctx, 'apiToken.revoke');
  return ctx.db.$transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({
      where: { id: input.apiTokenId, teamId: ctx.team.id },
      select: apiTokenSelect,
    });
    if (!token) throw new NotFound('API token');
    const revoked = await tx.apiToken.update({
      where: { id: token.id },
      data: { revokedAt: token.revokedAt ?? new Date() },
      select: apiTokenSelect,
    });
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'apiToken.revoke',
      objectType: 'apiToken',
      objectId: token.id,
      before: { name: token.name, role: token.role, revokedAt: token.revokedAt },
      after: { revokedAt: revoked.revokedAt },
    });
    return toApiTokenDto(revoked);
  });
}
