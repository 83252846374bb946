import { createTeam, createTeamInput } from '../services/teams/create-team.ts';
import { getTeam } from '../services/teams/get-team.ts';
import { listTeams } from '../services/teams/list-teams.ts';
import { updateTeamSettings, updateTeamSettingsInput } from '../services/teams/update-team-settings.ts';
import { authedProcedure, createRouter, roleProcedure } from '../trpc/procedures.ts';

export const teamRouter = createRouter({
  list: authedProcedure.query(({ ctx }) => listTeams({ ctx: ctx.service, userId: ctx.user.id })),
  get: roleProcedure('team.read').query(({ ctx }) => getTeam({ ctx: ctx.team })),
  updateSettings: roleProcedure('team.updateSettings')
    .input(updateTeamSettingsInput)
    .mutation(({ ctx, input }) => updateTeamSettings({ ctx: ctx.team, input })),
  create: authedProcedure
    .input(createTeamInput)
    .mutation(({ ctx, input }) => createTeam({ ctx: ctx.service, userId: ctx.user.id, input })),
});
