import { z } from 'zod';
import { auditPageDto, listAudit } from '../services/audit/list-audit.ts';
import { auditVerdictDto, verifyAudit } from '../services/audit/verify-audit.ts';
import { idSchema } from '../services/dto.ts';
import { createJob, createJobInput } from '../services/jobs/create-job.ts';
import { getJob } from '../services/jobs/get-job.ts';
import { importManifest } from '../services/jobs/import-manifest.ts';
import { jobDto } from '../services/jobs/job-dto.ts';
import { listJobs, listJobsInput } from '../services/jobs/list-jobs.ts';
import { manifestInput } from '../services/jobs/manifest-problems.ts';
import { runJob } from '../services/jobs/run-job.ts';
import {
  issuedJoinTokenDto,
  issueJoinToken,
  issueJoinTokenInput,
} from '../services/join-tokens/issue-join-token.ts';
import { joinTokenDto } from '../services/join-tokens/join-token-dto.ts';
import { revokeJoinToken } from '../services/join-tokens/revoke-join-token.ts';
import { cancelRun } from '../services/runs/cancel-run.ts';
import { countRunFiles, runFileCountsDto } from '../services/runs/count-run-files.ts';
import { getRun } from '../services/runs/get-run.ts';
import { listRunFailures, RUN_FAILURES_PAGE_MAX, runFailureDto } from '../services/runs/list-run-failures.ts';
import { listRunFiles, listRunFilesInput, runFilesPageDto } from '../services/runs/list-run-files.ts';
import { listRuns } from '../services/runs/list-runs.ts';
import { runDto } from '../services/runs/run-dto.ts';
import { runFilesFilter } from '../services/runs/run-files-filter.ts';
import { drainStar } from '../services/stars/drain-star.ts';
import { getStar } from '../services/stars/get-star.ts';
import { listStars } from '../services/stars/list-stars.ts';
import { starDto } from '../services/stars/star-dto.ts';
import { defineRoute, type RestRoute } from './rest-route.ts';

// Query strings arrive as text: numbers are coerced here, the services see the same types as tRPC.
const limit = (max: number) => z.coerce.number().int().min(1).max(max).optional();
const jobParams = z.object({ jobId: idSchema });
const runParams = z.object({ runId: idSchema });
const starParams = z.object({ starId: idSchema });

export const REST_ROUTES: readonly RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/jobs',
    operationId: 'listJobs',
    summary: 'List the team’s jobs',
    tag: 'jobs',
    query: listJobsInput,
    status: 200,
    response: z.array(jobDto),
    handle: (ctx, { query }) => listJobs({ ctx, input: query }),
  }),
  defineRoute({
    method: 'POST',
    path: '/jobs',
    operationId: 'createJob',
    summary: 'Create a job from fields',
    tag: 'jobs',
    body: createJobInput,
    status: 201,
    response: jobDto,
    handle: (ctx, { body }) => createJob({ ctx, input: body }),
  }),
  defineRoute({
    method: 'POST',
    path: '/jobs/import',
    operationId: 'importManifest',
    summary:
      'Create jobs from an orbit.manifest.toml (JSON {toml}, text/plain, or multipart field "manifest")',
    tag: 'jobs',
    body: manifestInput,
    acceptsManifestUpload: true,
    status: 201,
    response: z.array(jobDto),
    handle: (ctx, { body }) => importManifest({ ctx, input: body }),
  }),
  defineRoute({
    method: 'GET',
    path: '/jobs/{jobId}',
    operationId: 'getJob',
    summary: 'Get a job',
    tag: 'jobs',
    params: jobParams,
    status: 200,
    response: jobDto,
    handle: (ctx, { params }) => getJob({ ctx, input: params }),
  }),
  defineRoute({
    method: 'POST',
    path: '/jobs/{jobId}/run',
    operationId: 'runJob',
    summary: 'Queue a run of a job',
    tag: 'jobs',
    params: jobParams,
    status: 201,
    response: runDto,
    handle: (ctx, { params }) => runJob({ ctx, input: params }),
  }),
  defineRoute({
    method: 'GET',
    path: '/runs',
    operationId: 'listRuns',
    summary: 'List runs, newest first',
    tag: 'runs',
    query: z.object({ jobId: idSchema.optional(), limit: limit(200) }),
    status: 200,
    response: z.array(runDto),
    handle: (ctx, { query }) => listRuns({ ctx, input: query }),
  }),
  defineRoute({
    method: 'GET',
    path: '/runs/{runId}',
    operationId: 'getRun',
    summary: 'Run status and progress',
    tag: 'runs',
    params: runParams,
    status: 200,
    response: runDto,
    handle: (ctx, { params }) => getRun({ ctx, input: params }),
  }),
  defineRoute({
    method: 'POST',
    path: '/runs/{runId}/cancel',
    operationId: 'cancelRun',
    summary: 'Cancel a run that has not finished',
    tag: 'runs',
    params: runParams,
    status: 200,
    response: runDto,
    handle: (ctx, { params }) => cancelRun({ ctx, input: params }),
  }),
  defineRoute({
    method: 'GET',
    path: '/runs/{runId}/files',
    operationId: 'listRunFiles',
    summary:
      'A run’s files in path order, by status and path, a page at a time (pass nextCursor back as cursor)',
    tag: 'runs',
    params: runParams,
    query: listRunFilesInput.omit({ runId: true, limit: true }).extend({ limit: limit(500) }),
    status: 200,
    response: runFilesPageDto,
    handle: (ctx, { params, query }) => listRunFiles({ ctx, input: { ...params, ...query } }),
  }),
  defineRoute({
    method: 'GET',
    path: '/runs/{runId}/files/counts',
    operationId: 'countRunFiles',
    summary: 'How many of a run’s files have each status',
    tag: 'runs',
    params: runParams,
    query: runFilesFilter.omit({ runId: true }),
    status: 200,
    response: runFileCountsDto,
    handle: (ctx, { params, query }) => countRunFiles({ ctx, input: { ...params, ...query } }),
  }),
  defineRoute({
    method: 'GET',
    path: '/runs/{runId}/failures',
    operationId: 'listRunFailures',
    summary:
      'Files that failed after every retry (dead letters), oldest first, at most `limit` (default and most 1000) after the failure `after`',
    tag: 'runs',
    params: runParams,
    query: z.object({ limit: limit(RUN_FAILURES_PAGE_MAX), after: idSchema.optional() }),
    status: 200,
    response: z.array(runFailureDto),
    handle: (ctx, { params, query }) => listRunFailures({ ctx, input: { ...params, ...query } }),
  }),
  defineRoute({
    method: 'GET',
    path: '/stars',
    operationId: 'listStars',
    summary: 'List the team’s Stars',
    tag: 'stars',
    status: 200,
    response: z.array(starDto),
    handle: (ctx) => listStars({ ctx }),
  }),
  defineRoute({
    method: 'GET',
    path: '/stars/{starId}',
    operationId: 'getStar',
    summary: 'Get a Star',
    tag: 'stars',
    params: starParams,
    status: 200,
    response: starDto,
    handle: (ctx, { params }) => getStar({ ctx, input: params }),
  }),
  defineRoute({
    method: 'POST',
    path: '/stars/{starId}/drain',
    operationId: 'drainStar',
    summary: 'Drain a Star: finish current runs, take no new ones',
    tag: 'stars',
    params: starParams,
    status: 200,
    response: starDto,
    handle: (ctx, { params }) => drainStar({ ctx, input: params }),
  }),
  defineRoute({
    method: 'POST',
    path: '/join-tokens',
    operationId: 'issueJoinToken',
    summary: 'Issue a single-use join token for a new Star',
    tag: 'stars',
    body: issueJoinTokenInput,
    status: 201,
    response: issuedJoinTokenDto,
    handle: (ctx, { body }) => issueJoinToken({ ctx, input: body }),
  }),
  defineRoute({
    method: 'POST',
    path: '/join-tokens/{joinTokenId}/revoke',
    operationId: 'revokeJoinToken',
    summary: 'Revoke an unused join token',
    tag: 'stars',
    params: z.object({ joinTokenId: idSchema }),
    status: 200,
    response: joinTokenDto,
    handle: (ctx, { params }) => revokeJoinToken({ ctx, input: params }),
  }),
  defineRoute({
    method: 'GET',
    path: '/audit',
    operationId: 'listAudit',
    summary: 'Query the team’s audit log, newest first',
    tag: 'audit',
    query: z.object({
      userId: z.string().optional(),
      objectType: z.string().optional(),
      action: z.string().optional(),
      from: z.iso.datetime().optional(),
      to: z.iso.datetime().optional(),
      cursor: z.coerce.number().int().positive().optional(),
      limit: limit(200),
    }),
    status: 200,
    response: auditPageDto,
    handle: (ctx, { query }) => listAudit({ ctx, input: query }),
  }),
  defineRoute({
    method: 'POST',
    path: '/audit/verify',
    operationId: 'verifyAudit',
    summary: 'Verify the team’s audit hash chain',
    tag: 'audit',
    status: 200,
    response: auditVerdictDto,
    handle: (ctx) => verifyAudit({ ctx }),
  }),
];
