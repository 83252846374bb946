import { cancelRun } from '../services/runs/cancel-run.ts';
import { countRunFiles } from '../services/runs/count-run-files.ts';
import { getRun, runIdInput } from '../services/runs/get-run.ts';
import { listRunFailures, listRunFailuresInput } from '../services/runs/list-run-failures.ts';
import { listRunFiles, listRunFilesInput } from '../services/runs/list-run-files.ts';
import { listRuns, listRunsInput } from '../services/runs/list-runs.ts';
import { retryRun } from '../services/runs/retry-run.ts';
import { runFilesFilter } from '../services/runs/run-files-filter.ts';
import { createRouter, roleProcedure } from '../trpc/procedures.ts';

export const runRouter = createRouter({
  list: roleProcedure('run.read')
    .input(listRunsInput)
    .query(({ ctx, input }) => listRuns({ ctx: ctx.team, input })),
  get: roleProcedure('run.read')
    .input(runIdInput)
    .query(({ ctx, input }) => getRun({ ctx: ctx.team, input })),
  files: roleProcedure('run.read')
    .input(listRunFilesInput)
    .query(({ ctx, input }) => listRunFiles({ ctx: ctx.team, input })),
  fileCounts: roleProcedure('run.read')
    .input(runFilesFilter)
    .query(({ ctx, input }) => countRunFiles({ ctx: ctx.team, input })),
  failures: roleProcedure('run.read')
    .input(listRunFailuresInput)
    .query(({ ctx, input }) => listRunFailures({ ctx: ctx.team, input })),
  cancel: roleProcedure('run.cancel')
    .input(runIdInput)
    .mutation(({ ctx, input }) => cancelRun({ ctx: ctx.team, input })),
  retry: roleProcedure('run.retry')
    .input(runIdInput)
    .mutation(({ ctx, input }) => retryRun({ ctx: ctx.team, input })),
});
