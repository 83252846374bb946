import { createJob, createJobInput } from '../services/jobs/create-job.ts';
import { deleteJob } from '../services/jobs/delete-job.ts';
import { getJob, jobIdInput } from '../services/jobs/get-job.ts';
import { importManifest } from '../services/jobs/import-manifest.ts';
import { jobStarmap } from '../services/jobs/job-starmap.ts';
import { listJobs, listJobsInput } from '../services/jobs/list-jobs.ts';
import { manifestInput } from '../services/jobs/manifest-problems.ts';
import { previewFilter, previewFilterInput } from '../services/jobs/preview-filter.ts';
import { previewManifest } from '../services/jobs/preview-manifest.ts';
import { runJob } from '../services/jobs/run-job.ts';
import { updateJob, updateJobInput } from '../services/jobs/update-job.ts';
import { createRouter, roleProcedure } from '../trpc/procedures.ts';

export const jobRouter = createRouter({
  list: roleProcedure('job.read')
    .input(listJobsInput)
    .query(({ ctx, input }) => listJobs({ ctx: ctx.team, input })),
  get: roleProcedure('job.read')
    .input(jobIdInput)
    .query(({ ctx, input }) => getJob({ ctx: ctx.team, input })),
  create: roleProcedure('job.create')
    .input(createJobInput)
    .mutation(({ ctx, input }) => createJob({ ctx: ctx.team, input })),
  update: roleProcedure('job.update')
    .input(updateJobInput)
    .mutation(({ ctx, input }) => updateJob({ ctx: ctx.team, input })),
  delete: roleProcedure('job.delete')
    .input(jobIdInput)
    .mutation(({ ctx, input }) => deleteJob({ ctx: ctx.team, input })),
  previewManifest: roleProcedure('job.read')
    .input(manifestInput)
    .mutation(({ ctx, input }) => previewManifest({ ctx: ctx.team, input })),
  importManifest: roleProcedure('job.import')
    .input(manifestInput)
    .mutation(({ ctx, input }) => importManifest({ ctx: ctx.team, input })),
  starmap: roleProcedure('job.read').query(({ ctx }) => jobStarmap({ ctx: ctx.team })),
  run: roleProcedure('job.run')
    .input(jobIdInput)
    .mutation(({ ctx, input }) => runJob({ ctx: ctx.team, input })),
  previewFilter: roleProcedure('star.browse')
    .input(previewFilterInput)
    .query(({ ctx, input }) => previewFilter({ ctx: ctx.team, input })),
});
