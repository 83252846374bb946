import { z } from 'zod';
import { verifyAuditChain } from '../../audit/verify-chain.ts';
import { authorize, type TeamContext } from '../service-context.ts';

export const auditVerdictDto = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBadId: z.string().optional(),
});
export type AuditVerdictDto = z.infer<typeof auditVerdictDto>;

export async function verifyAudit({ ctx }: { ctx: TeamContext }): Promise<AuditVerdictDto> {
  authorize(ctx, 'audit.verify');
  return verifyAuditChain(ctx.db, ctx.team.id, ctx.auditKey);
}
