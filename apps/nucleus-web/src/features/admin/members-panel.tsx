'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Users } from 'lucide-react';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { Select } from '../../components/ui/select.tsx';
import { TableCell } from '../../components/ui/table.tsx';
import { ROLES } from '../../server/auth/permissions.ts';
import { ChoiceOptions } from '../shell/choice-options.tsx';
import { ConfirmRowAction } from '../shell/confirm-action.tsx';
import { formatDateTime } from '../shell/lib/format.ts';
import { parseRole } from '../shell/lib/role.ts';
import { notifyError, notifySuccess, notifySuccessAfter } from '../shell/notify.ts';
import { ACTIONS_COLUMN, QueryTable } from '../shell/query-table.tsx';
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
      onSuccess: notifySuccessAfter(refresh, 'Member removed'),
      onError: notifyError('Could not remove the member'),
    }),
  );
  return (
    <QueryTable
      query={members}
      columns={[{ label: 'Member' }, { label: 'Role' }, { label: 'Joined' }, ACTIONS_COLUMN]}
      rowKey={(member) => member.userId}
      empty={<EmptyState icon={Users} title="No members" />}
    >
      {(member) => {
        const self = member.userId === currentUserId;
        return (
          <>
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
                  <ChoiceOptions choices={ROLES} />
                </Select>
              ) : (
                member.role
              )}
            </TableCell>
            <TableCell className="text-muted-foreground">{formatDateTime(member.joinedAt)}</TableCell>
            <TableCell className="text-right">
              {canRemove && !self ? (
                <ConfirmRowAction
                  label="Remove"
                  title={`Remove ${member.email}?`}
                  description={`They lose access to ${team.name} at once. Their past actions stay in the audit log.`}
                  confirmLabel="Remove member"
                  onConfirm={() => remove.mutate({ teamSlug: team.slug, userId: member.userId })}
                />
              ) : null}
            </TableCell>
          </>
        );
      }}
    </QueryTable>
  );
}
