import { NotFound } from '../../errors.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { type TeamDto, teamSelect, toTeamDto } from './team-dto.ts';

export async function getTeam({ ctx }: { ctx: TeamContext }): Promise<TeamDto> {
  authorize(ctx, 'team.read');
  const team = await ctx.db.team.findUnique({ where: { id: ctx.team.id }, select: teamSelect });
  if (!team) throw new NotFound(`Team "${ctx.team.slug}"`);
  return toTeamDto(team, ctx.role);
}
