import { z } from 'zod';
import { NotFound } from '../../errors.ts';
import { idSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { type StarDto, starSelect, toStarDto } from './star-dto.ts';

export const starIdInput = z.object({ starId: idSchema });
export type StarIdInput = z.infer<typeof starIdInput>;

export async function getStar({ ctx, input }: { ctx: TeamContext; input: StarIdInput }): Promise<StarDto> {
  authorize(ctx, 'star.read');
  const star = await ctx.db.star.findFirst({
    where: { id: input.starId, teamId: ctx.team.id },
    select: starSelect,
  });
  if (!star) throw new NotFound('Star');
  return toStarDto(star);
}
