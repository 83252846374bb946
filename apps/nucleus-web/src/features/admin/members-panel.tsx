'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Users } from 'lucide-react';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { Select } from '../../components/ui/select.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table.tsx';
import { ROLES } from '../../server/auth/permissions.ts';
import { ConfirmAction } from '../shell/confirm-action.tsx';
import { formatDateTime } from '../shell/lib/format.ts';
import { parseRole } from '../shell/lib/role.ts';
import { notifyError, notifySuccess } from '../shell/notify.ts';
import { QueryView } from '../shell/query-view.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';
import { useCan } from '../shell/use-can.ts';

export function MembersPanel({ currentUserId }: { currentUserId: string }) {
  const team = useTeam();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canChangeRole = useCan('member.updateRole');
  const canRemove = useCan('member.remove');
  const members = useQuery(trpc.member.list.queryOptions({ teamSlug: team.slug }));
  const refresh = () => queryClient.invalidateQueries(trpc.member.pathFilter());
  const updateRole = useMutation(
    trpc.member.updateRole.mutationOptions({
      onSuccess: async (_, input) => {
        await refresh();
        notifySuccess(`Role changed to ${input.role}`);
      },
      onError: notifyError('Could not change the role'),
    }),
  );
  const remove = useMutation(
    trpc.member.remove.mutationOptions({
      onSuccess: async () => {
        await refresh();
        notifySuccess('Member removed');
      },
      onError: notifyError('Could not remove the member'),
    }),
  );
  return (
    <QueryView
      query={members}
      isEmpty={(rows) => rows.length === 0}
      empty={<EmptyState icon={Users} title="No members" />}
    >
      {(rows) => (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Member</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Joined</TableHead>
              <TableHead className="text-right">Actions</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((member) => {
              const self = member.userId === currentUserId;
              return (
                <TableRow key={member.userId}>
                  <TableCell>
                    <div className="grid">
                      <span className="font-medium">
                        {member.name}
                        {self ? <span className="text-muted-foreground"> (you)</span> : null}
                      </span>
                      <span className="text-xs text-muted-foreground">{member.email}</span>
                    </div>
                  </TableCell>
                  <TableCell className="w-40">
                    {canChangeRole && !self ? (
                      <Select
                        aria-label={`Role of ${member.email}`}
                        value={member.role}
                        disabled={updateRole.isPending}
                        onChange={(event) =>
                          updateRole.mutate({
                            teamSlug: team.slug,
                            userId: member.userId,
                            role: parseRole(event.target.value),
                          })
                        }
                      >
                        {ROLES.map((role) => (
                          <option key={role} value={role}>
                            {role}
                          </option>
                        ))}
                      </Select>
                    ) : (
                      member.role
                    )}
                  </TableCell>
                  <TableCell className="text-muted-foreground">{formatDateTime(member.joinedAt)}</TableCell>
                  <TableCell className="text-right">
                    {canRemove && !self ? (
                      <ConfirmAction
                        trigger={
                          <Button variant="outline" size="sm">
                            Remove
                          </Button>
                        }
                        title={`Remove ${member.email}?`}
                        description={`They lose access to ${team.name} at once. Their past actions stay in the audit log.`}
                        confirmLabel="Remove member"
                        onConfirm={() => remove.mutate({ teamSlug: team.slug, userId: member.userId })}
                      />
                    ) : null}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </QueryView>
  );
}
