import { dashboardSummary } from '../services/dashboard/dashboard-summary.ts';
import { createRouter, roleProcedure } from '../trpc/procedures.ts';

export const dashboardRouter = createRouter({
  summary: roleProcedure('dashboard.read').query(({ ctx }) => dashboardSummary({ ctx: ctx.team })),
});
