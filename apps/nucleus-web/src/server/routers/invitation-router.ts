import { acceptInvitation, acceptInvitationInput } from '../services/members/accept-invitation.ts';
import { listInvitations } from '../services/members/list-invitations.ts';
import { revokeInvitation, revokeInvitationInput } from '../services/members/revoke-invitation.ts';
import { createRouter, publicProcedure, roleProcedure } from '../trpc/procedures.ts';

export const invitationRouter = createRouter({
  list: roleProcedure('invitation.read').query(({ ctx }) => listInvitations({ ctx: ctx.team })),
  revoke: roleProcedure('invitation.revoke')
    .input(revokeInvitationInput)
    .mutation(({ ctx, input }) => revokeInvitation({ ctx: ctx.team, input })),
  /** Public: the invitation token is the credential. */
  accept: publicProcedure
    .input(acceptInvitationInput)
    .mutation(({ ctx, input }) => acceptInvitation({ ctx: ctx.base, input })),
});
