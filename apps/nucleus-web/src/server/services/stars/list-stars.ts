import { authorize, type TeamContext } from '../service-context.ts';
import { type StarDto, starSelect, toStarDto } from './star-dto.ts';

export async function listStars({ ctx }: { ctx: TeamContext }): Promise<StarDto[]> {
  authorize(ctx, 'star.read');
  const rows = await ctx.db.star.findMany({
    where: { teamId: ctx.team.id },
    select: starSelect,
    orderBy: { name: 'asc' },
  });
  return rows.map(toStarDto);
}
