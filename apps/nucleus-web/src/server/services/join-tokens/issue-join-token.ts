import { STAR_NAME_PATTERN } from '@orbit/engine/identity/star-csr';
import { z } from 'zod';
import { appendAudit } from '../../audit/append-audit.ts';
import { generateToken, hashToken } from '../../auth/secret-token.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { joinTokenDto, joinTokenSelect, toJoinTokenDto } from './join-token-dto.ts';

export const issueJoinTokenInput = z.object({
  // The Star must ask for exactly this name at join, so it follows the Star name rule.
  name: z
    .string()
    .trim()
    .regex(STAR_NAME_PATTERN, 'must be a Star name: 1–63 letters, digits, spaces, ".", "_" or "-"')
    .optional(),
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
});
export type IssueJoinTokenInput = z.input<typeof issueJoinTokenInput>;

export const issuedJoinTokenDto = z.object({
  joinToken: joinTokenDto,
  /** Shown once: only its hash is stored. */
  token: z.string(),
  expiresAt: z.iso.datetime(),
  /** Null when this Nucleus runs no grid endpoint, so no Star could join yet. */
  joinCommand: z.string().nullable(),
});
export type IssuedJoinTokenDto = z.infer<typeof issuedJoinTokenDto>;

export async function issueJoinToken({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: IssueJoinTokenInput;
}): Promise<IssuedJoinTokenDto> {
  authorize(ctx, 'joinToken.issue');
  const { name, ttlMinutes } = issueJoinTokenInput.parse(input);
  const token = generateToken('join');
  const row = await ctx.db.$transaction(async (tx) => {
    const created = await tx.joinToken.create({
      data: {
        teamId: ctx.team.id,
        name: name ?? null,
        tokenHash: hashToken(token),
        issuedById: ctx.userId,
        expiresAt: new Date(Date.now() + ttlMinutes * 60_000),
      },
      select: joinTokenSelect,
    });
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'joinToken.issue',
      objectType: 'joinToken',
      objectId: created.id,
      after: { name: created.name, expiresAt: created.expiresAt },
    });
    return created;
  });
  return {
    joinToken: toJoinTokenDto(row),
    token,
    expiresAt: row.expiresAt.toISOString(),
    joinCommand: ctx.stars ? ctx.stars.joinCommand(token, row.name) : null,
  };
}
