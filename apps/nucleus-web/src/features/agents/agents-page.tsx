'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Server } from 'lucide-react';
import { TableCell } from '../../components/ui/table.tsx';
import { ConfirmRowAction } from '../shell/confirm-action.tsx';
import { formatDateTime, formatRelative } from '../shell/lib/format.ts';
import { notifyError, notifySuccessAfter } from '../shell/notify.ts';
import { PageHeader } from '../shell/page-header.tsx';
import { ACTIONS_COLUMN, QueryTable } from '../shell/query-table.tsx';
import { StatusBadge } from '../shell/status-badge.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';
import { useCan } from '../shell/use-can.ts';
import { fallbackInterval, useLiveUpdates } from '../shell/use-live-updates.ts';
import { AddStarDialog } from './add-star-dialog.tsx';
import { JoinTokensTable } from './join-tokens-table.tsx';
import { formatLoad } from './lib/star-load.ts';

function NoStarsYet({ canAdd }: { canAdd: boolean }) {
  return (
    <div className="grid gap-3 rounded-lg border border-dashed p-6">
      <div className="flex items-center gap-2 font-medium">
        <Server className="size-4 text-muted-foreground" />
        No Star has joined this team yet
      </div>
      <ol className="grid list-decimal gap-1 pl-5 text-sm text-muted-foreground">
        <li>
          {canAdd
            ? 'Press “Add Star” to issue a single-use join token.'
            : 'Ask a team admin for a join token.'}
        </li>
        <li>On the machine that holds or receives the files, run the join command shown with the token.</li>
        <li>The Star appears here once it has enrolled and sends heartbeats.</li>
      </ol>
    </div>
  );
}

export function AgentsPage() {
  const team = useTeam();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const live = useLiveUpdates();
  const canIssue = useCan('joinToken.issue');
  const canReadTokens = useCan('joinToken.read');
  const canDrain = useCan('star.drain');
  const canRemove = useCan('star.remove');
  const stars = useQuery({
    ...trpc.star.list.queryOptions({ teamSlug: team.slug }),
    refetchInterval: fallbackInterval(live),
  });
  const refresh = () => queryClient.invalidateQueries(trpc.star.pathFilter());
  const drain = useMutation(
    trpc.star.drain.mutationOptions({
      onSuccess: notifySuccessAfter(
        refresh,
        'Star draining',
        'It finishes the runs it has and takes no new ones.',
      ),
      onError: notifyError('Could not drain the Star'),
    }),
  );
  const remove = useMutation(
    trpc.star.remove.mutationOptions({
      onSuccess: notifySuccessAfter(refresh, 'Star removed'),
      onError: notifyError('Could not remove the Star'),
    }),
  );

  return (
    <>
      <PageHeader
        title="Agents"
        description="Stars are the machines that read and write the files."
        actions={canIssue ? <AddStarDialog /> : null}
      />
      <QueryTable
        query={stars}
        columns={[
          { label: 'Star' },
          { label: 'Status' },
          { label: 'Lifecycle' },
          { label: 'Version' },
          { label: 'Load' },
          { label: 'Last heartbeat' },
          { label: 'Allowed paths' },
          ACTIONS_COLUMN,
        ]}
        rowKey={(star) => star.id}
        empty={<NoStarsYet canAdd={canIssue} />}
      >
        {(star) => (
          <>
            <TableCell className="font-medium">{star.name}</TableCell>
            <TableCell>
              <StatusBadge status={star.status} />
            </TableCell>
            <TableCell>
              <StatusBadge status={star.lifecycle} />
            </TableCell>
            <TableCell className="font-mono text-xs">{star.version ?? '—'}</TableCell>
            <TableCell className="text-xs">{formatLoad(star.load)}</TableCell>
            <TableCell title={formatDateTime(star.lastHeartbeatAt)}>
              {formatRelative(star.lastHeartbeatAt)}
            </TableCell>
            <TableCell className="font-mono text-xs">
              {star.allowedPaths.length === 0
                ? '—'
                : star.allowedPaths.map((allowed) => `${allowed.path} (${allowed.access})`).join(', ')}
            </TableCell>
            <TableCell className="space-x-2 text-right whitespace-nowrap">
              {canDrain && star.lifecycle !== 'draining' && star.lifecycle !== 'shutdown' ? (
                <ConfirmRowAction
                  label="Drain"
                  title={`Drain ${star.name}?`}
                  description="It finishes the runs it has and accepts no new ones."
                  confirmLabel="Drain Star"
                  onConfirm={() => drain.mutate({ teamSlug: team.slug, starId: star.id })}
                />
              ) : null}
              {canRemove ? (
                <ConfirmRowAction
                  label="Remove"
                  title={`Remove ${star.name}?`}
                  description="Its certificate is no longer accepted; jobs using it become unassigned. It must join again with a new token."
                  confirmLabel="Remove Star"
                  onConfirm={() => remove.mutate({ teamSlug: team.slug, starId: star.id })}
                />
              ) : null}
            </TableCell>
          </>
        )}
      </QueryTable>
      {canReadTokens ? (
        <section className="grid gap-3">
          <h2 className="text-lg font-semibold">Join tokens</h2>
          <JoinTokensTable />
        </section>
      ) : null}
    </>
  );
}
