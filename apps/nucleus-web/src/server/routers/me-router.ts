import { getMe } from '../services/teams/get-me.ts';
import { authedProcedure, createRouter } from '../trpc/procedures.ts';

export const meRouter = createRouter({
  get: authedProcedure.query(({ ctx }) => getMe({ ctx: ctx.service, userId: ctx.user.id })),
});
