import { currentSessionUser } from '../auth/session-user.ts';
import { errorBody, HTTP_STATUS, toDomainError, Unauthenticated } from '../errors.ts';
import { baseServiceContext, eventBus } from '../runtime.ts';
import { authorize } from '../services/service-context.ts';
import { resolveTeamMember } from '../services/teams/resolve-team-member.ts';
import { teamEventsStream } from './team-events-stream.ts';

/** GET /api/teams/[team]/events — live run, Star and job changes for a signed-in team member. */
export async function handleTeamEvents(req: Request, teamSlug: string): Promise<Response> {
  try {
    const user = await currentSessionUser();
    if (!user) throw new Unauthenticated('Sign in to receive live updates');
    const base = baseServiceContext(req.headers);
    const team = await resolveTeamMember(
      { ...base, actor: { type: 'user', id: user.id, label: user.email } },
      user.id,
      teamSlug,
    );
    authorize(team, 'team.read');
    return new Response(teamEventsStream(eventBus(), team.team.id, req.signal), {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      },
    });
  } catch (error) {
    const domain = toDomainError(error);
    return Response.json(errorBody(domain), { status: HTTP_STATUS[domain.code] });
  }
}
