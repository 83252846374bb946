import { handleReady } from '../../../server/health/ready-handler.ts';

export const dynamic = 'force-dynamic';
export { handleReady as GET };
