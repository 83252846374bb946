import { z } from 'zod';
import { NotFound } from '../../errors.ts';
import type { ServiceContext } from '../service-context.ts';
import { teamDto, teamSelect, toTeamDto } from './team-dto.ts';

export const meDto = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  teams: z.array(teamDto),
});
export type MeDto = z.infer<typeof meDto>;

export async function getMe({ ctx, userId }: { ctx: ServiceContext; userId: string }): Promise<MeDto> {
  const user = await ctx.db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      memberships: { select: { role: true, team: { select: teamSelect } }, orderBy: { createdAt: 'asc' } },
    },
  });
  if (!user) throw new NotFound('Your user account');
  return {
    user: { id: user.id, email: user.email, name: user.name },
    teams: user.memberships.map((membership) => toTeamDto(membership.team, membership.role)),
  };
}
