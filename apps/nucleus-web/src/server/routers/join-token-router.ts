import { issueJoinToken, issueJoinTokenInput } from '../services/join-tokens/issue-join-token.ts';
import { listJoinTokens } from '../services/join-tokens/list-join-tokens.ts';
import { revokeJoinToken, revokeJoinTokenInput } from '../services/join-tokens/revoke-join-token.ts';
import { createRouter, roleProcedure } from '../trpc/procedures.ts';

export const joinTokenRouter = createRouter({
  list: roleProcedure('joinToken.read').query(({ ctx }) => listJoinTokens({ ctx: ctx.team })),
  issue: roleProcedure('joinToken.issue')
    .input(issueJoinTokenInput)
    .mutation(({ ctx, input }) => issueJoinToken({ ctx: ctx.team, input })),
  revoke: roleProcedure('joinToken.revoke')
    .input(revokeJoinTokenInput)
    .mutation(({ ctx, input }) => revokeJoinToken({ ctx: ctx.team, input })),
});
