'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CircleCheck, FileWarning, RotateCcw, Square } from 'lucide-react';
import Link from 'next/link';
import { useParams, useRouter } from 'next/navigation';
import { Button } from '../../components/ui/button.tsx';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { Progress } from '../../components/ui/progress.tsx';
import { Skeleton } from '../../components/ui/skeleton.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table.tsx';
import { ConfirmAction } from '../shell/confirm-action.tsx';
import { formatBytes, formatDateTime, formatDuration, percent } from '../shell/lib/format.ts';
import { notifyError, notifySuccess, notifySuccessAfter } from '../shell/notify.ts';
import { PageHeader } from '../shell/page-header.tsx';
import { QueryTable } from '../shell/query-table.tsx';
import { QueryView } from '../shell/query-view.tsx';
import { StatusBadge } from '../shell/status-badge.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { type RouterOutputs, useTRPC } from '../shell/trpc.ts';
import { useCan } from '../shell/use-can.ts';
import { fallbackInterval, useLiveUpdates } from '../shell/use-live-updates.ts';
import { ByteProgress } from './byte-progress.tsx';
import { isActiveRun, queuedRunNote } from './lib/run-state.ts';
import { RunTimeline } from './run-timeline.tsx';

export function RunDetailPage() {
  const { runId } = useParams<{ runId: string }>();
  const team = useTeam();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const live = useLiveUpdates();
  const canCancel = useCan('run.cancel');
  const canRetry = useCan('run.retry');
  const poll = fallbackInterval(live);
  const input = { teamSlug: team.slug, runId };
  const run = useQuery({ ...trpc.run.get.queryOptions(input), refetchInterval: poll });
  const files = useQuery({ ...trpc.run.files.queryOptions(input), refetchInterval: poll });
  const failures = useQuery({ ...trpc.run.failures.queryOptions(input), refetchInterval: poll });
  const cancel = useMutation(
    trpc.run.cancel.mutationOptions({
      onSuccess: notifySuccessAfter(
        () => queryClient.invalidateQueries(trpc.run.pathFilter()),
        'Run cancelled',
      ),
      onError: notifyError('Could not cancel the run'),
    }),
  );
  const retry = useMutation(
    trpc.run.retry.mutationOptions({
      onSuccess: async (created) => {
        await queryClient.invalidateQueries(trpc.run.pathFilter());
        notifySuccess('Retry queued');
        router.push(`/t/${team.slug}/runs/${created.id}`);
      },
      onError: notifyError('Could not retry the run'),
    }),
  );

  const data = run.data;
  return (
    <>
      <PageHeader
        title={data ? `Run of ${data.job.name}` : 'Run'}
        breadcrumb={[
          { label: 'Jobs', href: `/t/${team.slug}/jobs` },
          ...(data ? [{ label: data.job.name, href: `/t/${team.slug}/jobs/${data.job.id}` }] : []),
          { label: `Run ${runId.slice(-8)}` },
        ]}
        actions={
          data ? (
            <>
              {canCancel && isActiveRun(data.state) ? (
                <ConfirmAction
                  trigger={
                    <Button variant="outline">
                      <Square />
                      Cancel run
                    </Button>
                  }
                  title="Cancel this run?"
                  description="The Star stops after the file in flight; files already copied stay at the destination."
                  confirmLabel="Cancel run"
                  onConfirm={() => cancel.mutate(input)}
                />
              ) : null}
              {canRetry && (data.state === 'failed' || data.state === 'cancelled') ? (
                <Button disabled={retry.isPending} onClick={() => retry.mutate(input)}>
                  <RotateCcw />
                  Retry
                </Button>
              ) : null}
            </>
          ) : null
        }
      />
      <QueryView query={run} loading={<Skeleton className="h-40 w-full" />}>
        {(current) => (
          <Card>
            <CardContent className="grid gap-5">
              <div className="flex flex-wrap items-center gap-3">
                <StatusBadge status={current.state} />
                <span className="text-sm text-muted-foreground">attempt {current.attempt}</span>
                {current.startedAt && current.finishedAt ? (
                  <span className="text-sm text-muted-foreground">
                    took{' '}
                    {formatDuration(
                      new Date(current.finishedAt).getTime() - new Date(current.startedAt).getTime(),
                    )}
                  </span>
                ) : null}
              </div>
              <RunTimeline run={current} />
              {current.state === 'queued' ? (
                <p className="rounded-md bg-muted/60 p-3 text-sm text-muted-foreground">
                  {queuedRunNote(current.stateReason, current.star)}
                </p>
              ) : (
                <div className="grid gap-2">
                  <Progress
                    value={percent(current.progress.bytesDone, current.progress.bytesTotal)}
                    label="Run progress"
                  />
                  <p className="text-sm text-muted-foreground tabular-nums">
                    {formatBytes(current.progress.bytesDone)} of {formatBytes(current.progress.bytesTotal)} ·{' '}
                    {current.progress.filesDone} of {current.progress.filesTotal} files ·{' '}
                    {formatBytes(current.progress.bytesWritten)} written ·{' '}
                    {current.progress.chunksReused.toLocaleString('en')} chunks reused
                  </p>
                  {current.mirror ? (
                    <p className="text-sm text-muted-foreground">{mirrorNote(current.mirror)}</p>
                  ) : null}
                  {current.copy && current.copy.symlinksSkipped > 0 ? (
                    <p className="text-sm text-muted-foreground">{linksNote(current.copy)}</p>
                  ) : null}
                  {current.archive ? (
                    <p className="text-sm text-muted-foreground">
                      Snapshot <span className="font-mono">{current.archive.snapshotId}</span>:{' '}
                      {current.archive.files.toLocaleString('en')} files in{' '}
                      {current.archive.chunks.toLocaleString('en')} stored chunks
                    </p>
                  ) : null}
                </div>
              )}
              {current.error ? (
                <p
                  role="alert"
                  className="rounded-md border border-destructive/40 bg-destructive/5 p-3 text-sm text-destructive"
                >
                  {current.error}
                </p>
              ) : null}
            </CardContent>
          </Card>
        )}
      </QueryView>
      <Card>
        <CardHeader>
          <CardTitle>Files</CardTitle>
          <CardDescription>Per-file progress as the Star reports it.</CardDescription>
        </CardHeader>
        <CardContent>
          <QueryView
            query={files}
            isEmpty={(page) => page.items.length === 0}
            empty={
              <p className="text-sm text-muted-foreground">No file has been reported for this run yet.</p>
            }
          >
            {(page) => (
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Path</TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead className="w-56">Progress</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {page.items.map((file) => (
                    <TableRow key={file.id}>
                      <TableCell className="max-w-md truncate font-mono text-xs">{file.path}</TableCell>
                      <TableCell>
                        <StatusBadge status={file.status} />
                        {file.error ? <p className="mt-1 text-xs text-destructive">{file.error}</p> : null}
                      </TableCell>
                      <TableCell>
                        <ByteProgress
                          done={file.bytesDone}
                          total={file.size}
                          complete={file.status === 'done'}
                          label={`${file.path} progress`}
                        />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
                {page.nextCursor ? (
                  <caption className="py-2 text-xs text-muted-foreground">
                    Showing the first {page.items.length} files.
                  </caption>
                ) : null}
              </Table>
            )}
          </QueryView>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Failures</CardTitle>
          <CardDescription>Files that could not be moved after retries, with their cause.</CardDescription>
        </CardHeader>
        <CardContent>
          <QueryTable
            query={failures}
            columns={[{ label: 'Path' }, { label: 'Cause' }, { label: 'Attempts' }, { label: 'When' }]}
            rowKey={(failure) => failure.id}
            empty={
              <EmptyState
                icon={CircleCheck}
                title="No failures"
                description="Every file reported so far moved cleanly."
              />
            }
          >
            {(failure) => (
              <>
                <TableCell className="max-w-xs truncate font-mono text-xs">
                  <FileWarning className="mr-1 inline size-3.5 text-destructive" />
                  {failure.path}
                </TableCell>
                <TableCell className="text-sm text-destructive">{failure.error}</TableCell>
                <TableCell className="tabular-nums">{failure.attempts}</TableCell>
                <TableCell className="text-muted-foreground">{formatDateTime(failure.createdAt)}</TableCell>
              </>
            )}
          </QueryTable>
        </CardContent>
      </Card>
      {data ? (
        <p className="text-sm text-muted-foreground">
          <Link className="underline-offset-4 hover:underline" href={`/t/${team.slug}/jobs/${data.job.id}`}>
            Back to {data.job.name}
          </Link>
        </p>
      ) : null}
    </>
  );
}

/** Symlinks the destination Star reported instead of creating them (it places them on Linux only). */
function linksNote(step: { symlinksSkipped: number; skippedReason: string | null }): string {
  const reason =
    step.skippedReason?.replace(/^symlink not created: /, '') ?? 'the Star could not create them';
  return `${step.symlinksSkipped.toLocaleString('en')} symlink(s) not created: ${reason}.`;
}

/** One line on what a mirror did at the destination after the files arrived. */
function mirrorNote(mirror: NonNullable<RouterOutputs['run']['get']['mirror']>): string {
  if (mirror.skipped) return `Nothing removed at the destination: ${mirror.skipped}.`;
  const links = mirror.symlinksSkipped > 0 ? ` ${linksNote(mirror)}` : '';
  if (!mirror.delete)
    return `${mirror.extraneous.toLocaleString('en')} path(s) only at the destination, kept (delete is off).${links}`;
  const left =
    mirror.notRemoved > 0 ? `; ${mirror.notRemoved.toLocaleString('en')} could not be removed` : '';
  return `${mirror.removed.toLocaleString('en')} path(s) the source no longer has removed from the destination${left}.${links}`;
}
