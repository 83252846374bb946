'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { History, RotateCcw, Square } from 'lucide-react';
import Link from 'next/link';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { TableCell } from '../../components/ui/table.tsx';
import { ConfirmRowAction } from '../shell/confirm-action.tsx';
import { formatRelative } from '../shell/lib/format.ts';
import { notifyError, notifySuccessAfter } from '../shell/notify.ts';
import { ACTIONS_COLUMN, QueryTable } from '../shell/query-table.tsx';
import { StatusBadge } from '../shell/status-badge.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';
import { useCan } from '../shell/use-can.ts';
import { fallbackInterval } from '../shell/use-live-updates.ts';
import { ByteProgress } from './byte-progress.tsx';
import { capitalise, isActiveRun } from './lib/run-state.ts';

export function RunHistory({ jobId, live }: { jobId: string; live: boolean }) {
  const team = useTeam();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canCancel = useCan('run.cancel');
  const canRetry = useCan('run.retry');
  const runs = useQuery({
    ...trpc.run.list.queryOptions({ teamSlug: team.slug, jobId }),
    refetchInterval: fallbackInterval(live),
  });
  const refresh = () => queryClient.invalidateQueries(trpc.run.pathFilter());
  const cancel = useMutation(
    trpc.run.cancel.mutationOptions({
      onSuccess: notifySuccessAfter(refresh, 'Run cancelled'),
      onError: notifyError('Could not cancel the run'),
    }),
  );
  const retry = useMutation(
    trpc.run.retry.mutationOptions({
      onSuccess: notifySuccessAfter(refresh, 'Retry queued'),
      onError: notifyError('Could not retry the run'),
    }),
  );

  return (
    <QueryTable
      query={runs}
      columns={[
        { label: 'Run' },
        { label: 'State' },
        { label: 'Progress' },
        { label: 'Queued' },
        ACTIONS_COLUMN,
      ]}
      rowKey={(run) => run.id}
      empty={
        <EmptyState
          icon={History}
          title="No runs yet"
          description="Press “Run now” or wait for the schedule."
        />
      }
    >
      {(run) => (
        <>
          <TableCell>
            <Link className="font-mono text-xs hover:underline" href={`/t/${team.slug}/runs/${run.id}`}>
              #{run.attempt} · {run.id.slice(-8)}
            </Link>
          </TableCell>
          <TableCell>
            <StatusBadge status={run.state} />
          </TableCell>
          <TableCell className="w-56">
            {run.state === 'queued' ? (
              <span className="text-xs text-muted-foreground">
                {capitalise(run.stateReason ?? 'waiting for a Star')}
              </span>
            ) : (
              <ByteProgress
                done={run.progress.bytesDone}
                total={run.progress.bytesTotal}
                label="Run progress"
              />
            )}
          </TableCell>
          <TableCell className="text-muted-foreground">{formatRelative(run.queuedAt)}</TableCell>
          <TableCell className="text-right">
            {canCancel && isActiveRun(run.state) ? (
              <ConfirmRowAction
                label="Cancel"
                icon={<Square />}
                title="Cancel this run?"
                description="The Star stops after the file in flight; files already copied stay at the destination."
                confirmLabel="Cancel run"
                onConfirm={() => cancel.mutate({ teamSlug: team.slug, runId: run.id })}
              />
            ) : null}
            {canRetry && (run.state === 'failed' || run.state === 'cancelled') ? (
              <Button
                variant="outline"
                size="sm"
                disabled={retry.isPending}
                onClick={() => retry.mutate({ teamSlug: team.slug, runId: run.id })}
              >
                <RotateCcw />
                Retry
              </Button>
            ) : null}
          </TableCell>
        </>
      )}
    </QueryTable>
  );
}
