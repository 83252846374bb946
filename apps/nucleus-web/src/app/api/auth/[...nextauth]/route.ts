import { handleAuthRequest } from '../../../../server/auth/next-auth-handler.ts';

export const dynamic = 'force-dynamic';
export { handleAuthRequest as GET, handleAuthRequest as POST };
