import { listAudit, listAuditInput } from '../services/audit/list-audit.ts';
import { verifyAudit } from '../services/audit/verify-audit.ts';
import { createRouter, roleProcedure } from '../trpc/procedures.ts';

export const auditRouter = createRouter({
  list: roleProcedure('audit.read')
    .input(listAuditInput)
    .query(({ ctx, input }) => listAudit({ ctx: ctx.team, input })),
  verify: roleProcedure('audit.verify').mutation(({ ctx }) => verifyAudit({ ctx: ctx.team })),
});
