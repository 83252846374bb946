import { z } from 'zod';
import { appendAudit } from '../../audit/append-audit.ts';
import type { ServiceContext } from '../service-context.ts';
import { type TeamDto, teamSelect, toTeamDto } from './team-dto.ts';

export const teamSlugSchema = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'use lowercase letters, digits and dashes, e.g. "data-team"');

export const createTeamInput = z.object({
  name: z.string().trim().min(1).max(80),
  slug: teamSlugSchema,
});
export type CreateTeamInput = z.infer<typeof createTeamInput>;

/** Any signed-in user may create a team; they become its owner. */
export async function createTeam({
  ctx,
  userId,
  input,
}: {
  ctx: ServiceContext;
  userId: string;
  input: CreateTeamInput;
}): Promise<TeamDto> {
  return ctx.db.$transaction(async (tx) => {
    const team = await tx.team.create({
      data: { name: input.name, slug: input.slug, memberships: { create: { userId, role: 'owner' } } },
      select: teamSelect,
    });
    await appendAudit(tx, ctx.auditKey, {
      teamId: team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'team.create',
      objectType: 'team',
      objectId: team.id,
      after: { name: team.name, slug: team.slug },
    });
    return toTeamDto(team, 'owner');
  });
}
