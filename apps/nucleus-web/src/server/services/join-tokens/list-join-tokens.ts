import { authorize, type TeamContext } from '../service-context.ts';
import { type JoinTokenDto, joinTokenSelect, toJoinTokenDto } from './join-token-dto.ts';

export async function listJoinTokens({ ctx }: { ctx: TeamContext }): Promise<JoinTokenDto[]> {
  authorize(ctx, 'joinToken.read');
  const rows = await ctx.db.joinToken.findMany({
    where: { teamId: ctx.team.id },
    select: joinTokenSelect,
    orderBy: { createdAt: 'desc' },
  });
  const now = new Date();
  return rows.map((row) => toJoinTokenDto(row, now));
}
