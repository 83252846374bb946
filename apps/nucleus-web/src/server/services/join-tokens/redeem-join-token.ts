import { z } from 'zod';
import { appendAudit } from '../../audit/append-audit.ts';
import { hashToken } from '../../auth/secret-token.ts';
import { Unauthenticated } from '../../errors.ts';
import type { RequestMeta, ServiceContext } from '../service-context.ts';

export const redeemJoinTokenInput = z.object({
  token: z.string().min(10),
  starName: z
    .string()
    .trim()
    .min(1)
    .max(63)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, dots, dashes and underscores'),
  version: z.string().max(40).optional(),
  capabilities: z.array(z.string()).default([]),
  allowedPaths: z.array(z.object({ path: z.string(), access: z.enum(['ro', 'rw']) })).default([]),
});
export type RedeemJoinTokenInput = z.input<typeof redeemJoinTokenInput>;

/**
 * Enrols a Star with a join token: single use, unexpired, unrevoked. The claim is a conditional
 * update, so two Stars racing with the same token cannot both win. The grid calls this.
 */
export async function redeemJoinToken({
  ctx,
  input,
}: {
  ctx: Pick<ServiceContext, 'db' | 'auditKey' | 'events'> & { meta: RequestMeta };
  input: RedeemJoinTokenInput;
}): Promise<{ starId: string; teamId: string }> {
  const parsed = redeemJoinTokenInput.parse(input);
  const refused = new Unauthenticated(
    'This join token is invalid, used, revoked or expired: issue a new one in the Nucleus',
  );
  const result = await ctx.db.$transaction(async (tx) => {
    const token = await tx.joinToken.findUnique({
      where: { tokenHash: hashToken(parsed.token) },
      select: { id: true, teamId: true },
    });
    if (!token) throw refused;
    const now = new Date();
    const claimed = await tx.joinToken.updateMany({
      where: { id: token.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) throw refused;
    const star = await tx.star.create({
      data: {
        teamId: token.teamId,
        name: parsed.starName,
        version: parsed.version ?? null,
        capabilities: parsed.capabilities,
        allowedPaths: parsed.allowedPaths,
      },
      select: { id: true },
    });
    await tx.joinToken.update({ where: { id: token.id }, data: { usedByStarId: star.id } });
    await appendAudit(tx, ctx.auditKey, {
      teamId: token.teamId,
      actor: { type: 'star', id: star.id, label: parsed.starName },
      meta: ctx.meta,
      action: 'star.join',
      objectType: 'star',
      objectId: star.id,
      after: { name: parsed.starName, joinTokenId: token.id },
    });
    return { starId: star.id, teamId: token.teamId };
  });
  ctx.events.publish(result.teamId, { type: 'star.changed', id: result.starId });
  return result;
}
