import { authorize, type TeamContext } from '../service-context.ts';
import { type ApiTokenDto, apiTokenSelect, toApiTokenDto } from './api-token-dto.ts';

export async function listApiTokens({ ctx }: { ctx: TeamContext }): Promise<ApiTokenDto[]> {
  authorize(ctx, 'apiToken.read');
  const rows = await ctx.db.apiToken.findMany({
    where: { teamId: ctx.team.id },
    select: apiTokenSelect,
    orderBy: { createdAt: 'desc' },
  });
  const now = new Date();
  return rows.map((row) => toApiTokenDto(row, now));
}
