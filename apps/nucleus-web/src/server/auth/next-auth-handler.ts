import NextAuth from 'next-auth';
import { authOptions } from './auth-options.ts';

type RouteContext = { params: Promise<{ nextauth: string[] }> };

/** next-auth's route handler, built per request so options always reflect the booted configuration. */
export function handleAuthRequest(req: Request, context: RouteContext): Promise<Response> {
  const handler = NextAuth(authOptions()) as (req: Request, context: RouteContext) => Promise<Response>;
  return handler(req, context);
}
