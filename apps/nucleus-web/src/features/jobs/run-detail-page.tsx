'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { RotateCcw, Square } from 'lucide-react';
import Link from 'next/link';
import { useParams, useRouter } from 'next/navigation';
import { Button } from '../../components/ui/button.tsx';
import { Skeleton } from '../../components/ui/skeleton.tsx';
import { ConfirmAction } from '../shell/confirm-action.tsx';
import { notifyError, notifySuccess, notifySuccessAfter } from '../shell/notify.ts';
import { PageHeader } from '../shell/page-header.tsx';
import { QueryView } from '../shell/query-view.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';
import { useCan } from '../shell/use-can.ts';
import { fallbackInterval, useLiveUpdates } from '../shell/use-live-updates.ts';
import { isActiveRun } from './lib/run-state.ts';
import { RunFailuresCard } from './run-failures-card.tsx';
import { RunFilesCard } from './run-files-card.tsx';
import { RunSummaryCard } from './run-summary-card.tsx';

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
        {(current) => <RunSummaryCard run={current} />}
      </QueryView>
      <RunFilesCard runId={runId} poll={poll} />
      <RunFailuresCard runId={runId} poll={poll} />
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
