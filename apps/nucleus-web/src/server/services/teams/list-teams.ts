import type { ServiceContext } from '../service-context.ts';
import { type TeamDto, teamSelect, toTeamDto } from './team-dto.ts';

export async function listTeams({
  ctx,
  userId,
}: {
  ctx: ServiceContext;
  userId: string;
}): Promise<TeamDto[]> {
  const memberships = await ctx.db.membership.findMany({
    where: { userId },
    select: { role: true, team: { select: teamSelect } },
    orderBy: { team: { name: 'asc' } },
  });
  return memberships.map((membership) => toTeamDto(membership.team, membership.role));
}
