import { handleRestRequest } from '../../../../server/rest/handle-rest.ts';
import { baseServiceContext } from '../../../../server/runtime.ts';

export const dynamic = 'force-dynamic';

function handle(req: Request): Promise<Response> {
  return handleRestRequest(req, () => baseServiceContext(req.headers));
}

export { handle as GET, handle as POST };
