import { NotFound } from '../../errors.ts';
import type { ServiceContext, TeamContext } from '../service-context.ts';

/**
 * Loads the caller's role in the team named by `teamSlug`. A team the user does not belong to is
 * reported exactly like one that does not exist, so slugs cannot be probed.
 */
export async function resolveTeamMember(
  ctx: ServiceContext,
  userId: string,
  teamSlug: string,
): Promise<TeamContext> {
  const membership = await ctx.db.membership.findFirst({
    where: { userId, team: { slug: teamSlug } },
    select: { role: true, team: { select: { id: true, slug: true, name: true } } },
  });
  if (!membership) throw new NotFound(`Team "${teamSlug}"`);
  return { ...ctx, team: membership.team, role: membership.role, userId };
}
