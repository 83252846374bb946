'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound } from 'lucide-react';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table.tsx';
import { ConfirmAction } from '../shell/confirm-action.tsx';
import { formatDateTime, formatRelative } from '../shell/lib/format.ts';
import { notifyError, notifySuccess } from '../shell/notify.ts';
import { QueryView } from '../shell/query-view.tsx';
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
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.joinToken.pathFilter());
        notifySuccess('Join token revoked');
      },
      onError: notifyError('Could not revoke the join token'),
    }),
  );
  return (
    <QueryView
      query={tokens}
      isEmpty={(rows) => rows.length === 0}
      empty={<EmptyState icon={KeyRound} title="No join tokens" description="“Add Star” issues one." />}
    >
      {(rows) => (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Expires</TableHead>
              <TableHead>Issued by</TableHead>
              <TableHead>Used by</TableHead>
              <TableHead className="text-right">Actions</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((token) => (
              <TableRow key={token.id}>
                <TableCell className="font-medium">
                  {token.name ?? <span className="text-muted-foreground">unnamed</span>}
                </TableCell>
                <TableCell>
                  <StatusBadge status={token.status} />
                </TableCell>
                <TableCell title={formatDateTime(token.expiresAt)}>
                  {formatRelative(token.expiresAt)}
                </TableCell>
                <TableCell className="text-muted-foreground">{token.issuedBy}</TableCell>
                <TableCell>{token.usedByStar?.name ?? '—'}</TableCell>
                <TableCell className="text-right">
                  {token.status === 'active' ? (
                    <ConfirmAction
                      trigger={
                        <Button variant="outline" size="sm">
                          Revoke
                        </Button>
                      }
                      title="Revoke this join token?"
                      description="A machine that has not joined yet can no longer use it. Stars that already joined stay."
                      confirmLabel="Revoke token"
                      onConfirm={() => revoke.mutate({ teamSlug: team.slug, joinTokenId: token.id })}
                    />
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </QueryView>
  );
}
