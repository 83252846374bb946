import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { currentSessionUser } from '../auth/session-user.ts';
import { appRouter } from '../routers/app-router.ts';
import { baseServiceContext } from '../runtime.ts';

/** The App Router entry for tRPC: the session user and request metadata become the context. */
export function handleTrpcRequest(req: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: async () => ({ base: baseServiceContext(req.headers), user: await currentSessionUser() }),
  });
}
