import { createApiToken, createApiTokenInput } from '../services/api-tokens/create-api-token.ts';
import { listApiTokens } from '../services/api-tokens/list-api-tokens.ts';
import { revokeApiToken, revokeApiTokenInput } from '../services/api-tokens/revoke-api-token.ts';
import { createRouter, roleProcedure } from '../trpc/procedures.ts';

export const apiTokenRouter = createRouter({
  list: roleProcedure('apiToken.read').query(({ ctx }) => listApiTokens({ ctx: ctx.team })),
  create: roleProcedure('apiToken.create')
    .input(createApiTokenInput)
    .mutation(({ ctx, input }) => createApiToken({ ctx: ctx.team, input })),
  revoke: roleProcedure('apiToken.revoke')
    .input(revokeApiTokenInput)
    .mutation(({ ctx, input }) => revokeApiToken({ ctx: ctx.team, input })),
});
