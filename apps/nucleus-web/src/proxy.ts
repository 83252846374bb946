import { withAuth } from 'next-auth/middleware';

/**
 * Pages need a session; everything under /api authenticates itself (session, API token or
 * invitation token), and the sign-in and invitation pages are public.
 */
export default withAuth({ pages: { signIn: '/sign-in' } });

export const config = {
  matcher: ['/((?!api/|_next/static|_next/image|favicon\\.ico|sign-in|invite).*)'],
};
