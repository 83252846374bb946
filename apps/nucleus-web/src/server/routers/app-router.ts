import { createRouter } from '../trpc/procedures.ts';
import { apiTokenRouter } from './api-token-router.ts';
import { auditRouter } from './audit-router.ts';
import { dashboardRouter } from './dashboard-router.ts';
import { invitationRouter } from './invitation-router.ts';
import { jobRouter } from './job-router.ts';
import { joinTokenRouter } from './join-token-router.ts';
import { meRouter } from './me-router.ts';
import { memberRouter } from './member-router.ts';
import { runRouter } from './run-router.ts';
import { starRouter } from './star-router.ts';
import { teamRouter } from './team-router.ts';

export const appRouter = createRouter({
  me: meRouter,
  team: teamRouter,
  member: memberRouter,
  invitation: invitationRouter,
  star: starRouter,
  joinToken: joinTokenRouter,
  job: jobRouter,
  run: runRouter,
  audit: auditRouter,
  apiToken: apiTokenRouter,
  dashboard: dashboardRouter,
});

export type AppRouter = typeof appRouter;
