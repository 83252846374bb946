export const dynamic = 'force-dynamic';

/** The process is up; /api/ready says whether it can serve. */
export function GET(): Response {
  return Response.json({ status: 'ok' });
}
