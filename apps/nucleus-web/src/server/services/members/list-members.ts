import { authorize, type TeamContext } from '../service-context.ts';
import { type MemberDto, memberSelect, toMemberDto } from './member-dto.ts';

export async function listMembers({ ctx }: { ctx: TeamContext }): Promise<MemberDto[]> {
  authorize(ctx, 'member.read');
  const rows = await ctx.db.membership.findMany({
    where: { teamId: ctx.team.id },
    select: memberSelect,
    orderBy: { createdAt: 'asc' },
  });
  return rows.map(toMemberDto);
}
