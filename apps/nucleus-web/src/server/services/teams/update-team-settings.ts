import { z } from 'zod';
import { appendAudit } from '../../audit/append-audit.ts';
import { NotFound } from '../../errors.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { parseTeamSettings, type TeamDto, teamSelect, teamSettingsSchema, toTeamDto } from './team-dto.ts';

export const updateTeamSettingsInput = z.object({
  name: z.string().trim().min(1).max(80).optional(),
  settings: teamSettingsSchema.partial().optional(),
});
export type UpdateTeamSettingsInput = z.infer<typeof updateTeamSettingsInput>;

export async function updateTeamSettings({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: UpdateTeamSettingsInput;
}): Promise<TeamDto> {
  authorize(ctx, 'team.updateSettings');
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.team.findUnique({ where: { id: ctx.team.id }, select: teamSelect });
    if (!before) throw new NotFound(`Team "${ctx.team.slug}"`);
    const settings = { ...parseTeamSettings(before.settings), ...input.settings };
    const after = await tx.team.update({
      where: { id: ctx.team.id },
      data: { ...(input.name ? { name: input.name } : {}), settings },
      select: teamSelect,
    });
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'team.updateSettings',
      objectType: 'team',
      objectId: ctx.team.id,
      before: { name: before.name, settings: before.settings },
      after: { name: after.name, settings: after.settings },
    });
    return toTeamDto(after, ctx.role);
  });
}
