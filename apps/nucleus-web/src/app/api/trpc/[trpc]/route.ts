import { handleTrpcRequest } from '../../../../server/trpc/trpc-handler.ts';

export const dynamic = 'force-dynamic';
export { handleTrpcRequest as GET, handleTrpcRequest as POST };
