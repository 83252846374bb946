import { handleTeamEvents } from '../../../../../server/events/team-events-handler.ts';

export const dynamic = 'force-dynamic';

export async function GET(
  req: Request,
  { params }: { params: Promise<{ team: string }> },
): Promise<Response> {
  return handleTeamEvents(req, (await params).team);
}
