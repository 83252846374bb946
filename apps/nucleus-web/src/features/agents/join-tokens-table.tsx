'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound } from 'lucide-react';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { TableCell } from '../../components/ui/table.tsx';
import { ConfirmRowAction } from '../shell/confirm-action.tsx';
import { formatDateTime, formatRelative } from '../shell/lib/format.ts';
import { notifyError, notifySuccessAfter } from '../shell/notify.ts';
import { ACTIONS_COLUMN, QueryTable } from '../shell/query-table.tsx';
import { StatusBadge } from '../shell/status-badge.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';

export function JoinTokensTable() {
  const team = useTeam();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.joinToken.list.queryOptions({ teamSlug: team.slug }));
  const revoke = useMutation(
    trpc.joinToken.revoke.mutationOptions({
      onSuccess: notifySuccessAfter(
        () => queryClient.invalidateQueries(trpc.joinToken.pathFilter()),
        'Join token revoked',
      ),
      onError: notifyError('Could not revoke the join token'),
    }),
  );
  return (
    <QueryTable
      query={tokens}
      columns={[
        { label: 'Name' },
        { label: 'Status' },
        { label: 'Expires' },
        { label: 'Issued by' },
        { label: 'Used by' },
        ACTIONS_COLUMN,
      ]}
      rowKey={(token) => token.id}
      empty={<EmptyState icon={KeyRound} title="No join tokens" description="“Add Star” issues one." />}
    >
      {(token) => (
        <>
          <TableCell className="font-medium">
            {token.name ?? <span className="text-muted-foreground">unnamed</span>}
          </TableCell>
          <TableCell>
            <StatusBadge status={token.status} />
          </TableCell>
          <TableCell title={formatDateTime(token.expiresAt)}>{formatRelative(token.expiresAt)}</TableCell>
          <TableCell className="text-muted-foreground">{token.issuedBy}</TableCell>
          <TableCell>{token.usedByStar?.name ?? '—'}</TableCell>
          <TableCell className="text-right">
            {token.status === 'active' ? (
              <ConfirmRowAction
                label="Revoke"
                title="Revoke this join token?"
                description="A machine that has not joined yet can no longer use it. Stars that already joined stay."
                confirmLabel="Revoke token"
                onConfirm={() => revoke.mutate({ teamSlug: team.slug, joinTokenId: token.id })}
              />
            ) : null}
          </TableCell>
        </>
      )}
    </QueryTable>
  );
}
