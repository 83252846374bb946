import { inviteMember, inviteMemberInput } from '../services/members/invite-member.ts';
import { listMembers } from '../services/members/list-members.ts';
import { removeMember, removeMemberInput } from '../services/members/remove-member.ts';
import { updateMemberRole, updateMemberRoleInput } from '../services/members/update-member-role.ts';
import { createRouter, roleProcedure } from '../trpc/procedures.ts';

export const memberRouter = createRouter({
  list: roleProcedure('member.read').query(({ ctx }) => listMembers({ ctx: ctx.team })),
  invite: roleProcedure('member.invite')
    .input(inviteMemberInput)
    .mutation(({ ctx, input }) => inviteMember({ ctx: ctx.team, input })),
  updateRole: roleProcedure('member.updateRole')
    .input(updateMemberRoleInput)
    .mutation(({ ctx, input }) => updateMemberRole({ ctx: ctx.team, input })),
  remove: roleProcedure('member.remove')
    .input(removeMemberInput)
    .mutation(({ ctx, input }) => removeMember({ ctx: ctx.team, input })),
});
