'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Pencil, Play, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { useParams, useRouter } from 'next/navigation';
import type * as React from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { Skeleton } from '../../components/ui/skeleton.tsx';
import { ConfirmAction } from '../shell/confirm-action.tsx';
import { formatDateTime } from '../shell/lib/format.ts';
import { notifyError, notifySuccess } from '../shell/notify.ts';
import { PageHeader } from '../shell/page-header.tsx';
import { QueryView } from '../shell/query-view.tsx';
import { StatusBadge } from '../shell/status-badge.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';
import { useCan } from '../shell/use-can.ts';
import { useLiveUpdates } from '../shell/use-live-updates.ts';
import { JobLocation } from './job-location.tsx';
import { describeCron, nextFireTime } from './lib/cron-description.ts';
import { RunHistory } from './run-history.tsx';
import { Starmap } from './starmap.tsx';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

function JobStarmap({ jobId }: { jobId: string }) {
  const team = useTeam();
  const trpc = useTRPC();
  const starmap = useQuery(trpc.job.starmap.queryOptions({ teamSlug: team.slug }));
  return (
    <QueryView query={starmap} loading={<Skeleton className="h-80 w-full" />}>
      {(graph) => <Starmap graph={graph} teamSlug={team.slug} currentId={jobId} />}
    </QueryView>
  );
}

export function JobDetailPage() {
  const { jobId } = useParams<{ jobId: string }>();
  const team = useTeam();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const live = useLiveUpdates();
  const canRun = useCan('job.run');
  const canUpdate = useCan('job.update');
  const canDelete = useCan('job.delete');
  const job = useQuery(trpc.job.get.queryOptions({ teamSlug: team.slug, jobId }));
  const run = useMutation(
    trpc.job.run.mutationOptions({
      onSuccess: async (created) => {
        await queryClient.invalidateQueries(trpc.run.pathFilter());
        await queryClient.invalidateQueries(trpc.job.pathFilter());
        notifySuccess(
          'Run queued',
          created.star
            ? 'It starts when the Star assigned to this job picks it up.'
            : 'No source Star is assigned to this job yet: edit the job to pick one.',
        );
        router.push(`/t/${team.slug}/runs/${created.id}`);
      },
      onError: notifyError('Could not start the run'),
    }),
  );
  const remove = useMutation(
    trpc.job.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.job.pathFilter());
        notifySuccess('Job deleted');
        router.push(`/t/${team.slug}/jobs`);
      },
      onError: notifyError('Could not delete the job'),
    }),
  );

  const name = job.data?.name ?? 'Job';
  return (
    <>
      <PageHeader
        title={name}
        breadcrumb={[{ label: 'Jobs', href: `/t/${team.slug}/jobs` }, { label: name }]}
        description={job.data ? `${job.data.mode} job` : undefined}
        actions={
          job.data ? (
            <>
              {canDelete ? (
                <ConfirmAction
                  trigger={
                    <Button variant="outline">
                      <Trash2 />
                      Delete
                    </Button>
                  }
                  title={`Delete “${name}”?`}
                  description="The job, its run history and its dependency links are removed. Files already moved stay where they are."
                  confirmLabel="Delete job"
                  onConfirm={() => remove.mutate({ teamSlug: team.slug, jobId })}
                />
              ) : null}
              {canUpdate ? (
                <Button variant="outline" asChild>
                  <Link href={`/t/${team.slug}/jobs/${jobId}/edit`}>
                    <Pencil />
                    Edit
                  </Link>
                </Button>
              ) : null}
              {canRun ? (
                <Button disabled={run.isPending} onClick={() => run.mutate({ teamSlug: team.slug, jobId })}>
                  <Play />
                  Run now
                </Button>
              ) : null}
            </>
          ) : null
        }
      />
      <QueryView query={job} loading={<Skeleton className="h-40 w-full" />}>
        {(data) => {
          const cron = data.schedule ? describeCron(data.schedule) : null;
          const next = data.schedule ? nextFireTime(data.schedule, new Date()) : null;
          return (
            <Card>
              <CardContent>
                <dl className="grid gap-5 md:grid-cols-3">
                  <Field label="Source">
                    <JobLocation star={data.sourceStar?.name ?? null} path={data.sourcePath} />
                  </Field>
                  <Field label="Destination">
                    <JobLocation star={data.destinationStar?.name ?? null} path={data.destinationPath} />
                  </Field>
                  <Field label="Last run">
                    {data.lastRun ? <StatusBadge status={data.lastRun.state} /> : 'never'}
                  </Field>
                  <Field label="Include / exclude">
                    {data.include.join(', ') || 'everything'} / {data.exclude.join(', ') || 'nothing'}
                  </Field>
                  <Field label="Compression · checksum · concurrency">
                    {data.compression} · {data.checksum} · {data.concurrency}
                  </Field>
                  <Field label="Schedule">
                    {data.schedule
                      ? `${cron?.ok ? cron.text : data.schedule} (${data.schedule}, UTC)`
                      : 'on demand'}
                    {next ? (
                      <span className="block text-xs text-muted-foreground">
                        Next: {formatDateTime(next)}
                      </span>
                    ) : null}
                  </Field>
                  <Field label="Depends on">
                    {data.dependsOn.length === 0
                      ? 'nothing'
                      : data.dependsOn.map((dependency, index) => (
                          <span key={dependency.id}>
                            {index > 0 ? ', ' : ''}
                            <Link
                              className="underline-offset-4 hover:underline"
                              href={`/t/${team.slug}/jobs/${dependency.id}`}
                            >
                              {dependency.name}
                            </Link>
                          </span>
                        ))}
                  </Field>
                  <Field label="Created">
                    {formatDateTime(data.createdAt)}
                    {data.createdBy ? ` by ${data.createdBy}` : ''}
                  </Field>
                  <Field label="Updated">{formatDateTime(data.updatedAt)}</Field>
                </dl>
              </CardContent>
            </Card>
          );
        }}
      </QueryView>
      <Card>
        <CardHeader>
          <CardTitle>Starmap</CardTitle>
          <CardDescription>
            The team's jobs and their dependencies; this job is highlighted. Click a job to open it.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <JobStarmap jobId={jobId} />
        </CardContent>
      </Card>
      <section className="grid gap-3">
        <h2 className="text-lg font-semibold">Runs</h2>
        <RunHistory jobId={jobId} live={live} />
      </section>
    </>
  );
}
