import { z } from 'zod';
import { appendAudit } from '../../audit/append-audit.ts';
import { atLeast } from '../../auth/permissions.ts';
import { generateToken, hashToken, tokenDisplayPrefix } from '../../auth/secret-token.ts';
import { Forbidden } from '../../errors.ts';
import { roleSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { apiTokenDto, apiTokenSelect, toApiTokenDto } from './api-token-dto.ts';

export const createApiTokenInput = z.object({
  name: z.string().trim().min(1).max(80),
  role: roleSchema,
  /** Null: never expires. */
  expiresInDays: z.number().int().min(1).max(366).nullable().default(90),
});
export type CreateApiTokenInput = z.input<typeof createApiTokenInput>;

export const createdApiTokenDto = z.object({
  apiToken: apiTokenDto,
  /** Shown once: only its hash is stored. */
  token: z.string(),
});
export type CreatedApiTokenDto = z.infer<typeof createdApiTokenDto>;

export async function createApiToken({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: CreateApiTokenInput;
}): Promise<CreatedApiTokenDto> {
  authorize(ctx, 'apiToken.create');
  const { name, role, expiresInDays } = createApiTokenInput.parse(input);
  if (!atLeast(ctx.role, role)) {
    throw new Forbidden(
      `A token cannot have more rights than you: your role is ${ctx.role}, the token asks for ${role}`,
    );
  }
  const token = generateToken('api');
  const row = await ctx.db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        teamId: ctx.team.id,
        name,
        role,
        tokenHash: hashToken(token),
        prefix: tokenDisplayPrefix(token),
        createdById: ctx.userId,
        expiresAt: expiresInDays === null ? null : new Date(Date.now() + expiresInDays * 24 * 3600 * 1000),
      },
      select: apiTokenSelect,
    });
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'apiToken.create',
      objectType: 'apiToken',
      objectId: created.id,
      after: { name, role, expiresAt: created.expiresAt },
    });
    return created;
  });
  return { apiToken: toApiTokenDto(row), token };
}
