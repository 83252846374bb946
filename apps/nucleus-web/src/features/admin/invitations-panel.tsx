'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { MailPlus } from 'lucide-react';
import { Button } from '../../components/ui/button.tsx';
import { CodeBlock } from '../../components/ui/code-block.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { Input } from '../../components/ui/input.tsx';
import { Select } from '../../components/ui/select.tsx';
import { TableCell } from '../../components/ui/table.tsx';
import { ROLES } from '../../server/auth/permissions.ts';
import { ChoiceOptions } from '../shell/choice-options.tsx';
import { ConfirmRowAction } from '../shell/confirm-action.tsx';
import { Field } from '../shell/field.tsx';
import { formatDateTime, formatRelative } from '../shell/lib/format.ts';
import { parseRole } from '../shell/lib/role.ts';
import { notifyError, notifySuccessAfter } from '../shell/notify.ts';
import { ACTIONS_COLUMN, QueryTable } from '../shell/query-table.tsx';
import { SecretOnceDialog } from '../shell/secret-once-dialog.tsx';
import { StatusBadge } from '../shell/status-badge.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';

function InviteDialog() {
  const team = useTeam();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invite = useMutation(
    trpc.member.invite.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.invitation.pathFilter()),
    }),
  );
  function submit(form: FormData): void {
    invite.mutate({
      teamSlug: team.slug,
      email: String(form.get('email') ?? ''),
      role: parseRole(form.get('role')),
    });
  }
  return (
    <SecretOnceDialog
      trigger={
        <Button>
          <MailPlus />
          Invite member
        </Button>
      }
      title="Invite a member"
      description="Send the link to the person you invite; it works once and expires in 7 days."
      mutation={invite}
      submitLabel="Create invitation"
      onSubmit={submit}
      fields={
        <>
          <Field id="invite-email" label="Email">
            <Input id="invite-email" name="email" type="email" required />
          </Field>
          <Field id="invite-role" label="Role">
            <Select id="invite-role" name="role" defaultValue="operator">
              <ChoiceOptions choices={ROLES} />
            </Select>
          </Field>
        </>
      }
      notice={({ invitation }) => (
        <>
          Copy the link now: it is shown once. Invitation for <strong>{invitation.email}</strong> as{' '}
          {invitation.role}, valid until {formatDateTime(invitation.expiresAt)}.
        </>
      )}
    >
      {(created) => <CodeBlock code={created.acceptUrl} label="invitation link" />}
    </SecretOnceDialog>
  );
}

export function InvitationsPanel() {
  const team = useTeam();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invitations = useQuery(trpc.invitation.list.queryOptions({ teamSlug: team.slug }));
  const revoke = useMutation(
    trpc.invitation.revoke.mutationOptions({
      onSuccess: notifySuccessAfter(
        () => queryClient.invalidateQueries(trpc.invitation.pathFilter()),
        'Invitation revoked',
      ),
      onError: notifyError('Could not revoke the invitation'),
    }),
  );
  return (
    <div className="grid gap-4">
      <div className="flex justify-end">
        <InviteDialog />
      </div>
      <QueryTable
        query={invitations}
        columns={[
          { label: 'Email' },
          { label: 'Role' },
          { label: 'Status' },
          { label: 'Expires' },
          ACTIONS_COLUMN,
        ]}
        rowKey={(invitation) => invitation.id}
        empty={
          <EmptyState
            icon={MailPlus}
            title="No invitations"
            description="Invite someone to work in this team."
          />
        }
      >
        {(invitation) => (
          <>
            <TableCell className="font-medium">{invitation.email}</TableCell>
            <TableCell>{invitation.role}</TableCell>
            <TableCell>
              <StatusBadge status={invitation.status} />
            </TableCell>
            <TableCell title={formatDateTime(invitation.expiresAt)}>
              {formatRelative(invitation.expiresAt)}
            </TableCell>
            <TableCell className="text-right">
              {invitation.status === 'pending' ? (
                <ConfirmRowAction
                  label="Revoke"
                  title={`Revoke the invitation for ${invitation.email}?`}
                  description="The link stops working. You can invite them again later."
                  confirmLabel="Revoke invitation"
                  onConfirm={() => revoke.mutate({ teamSlug: team.slug, invitationId: invitation.id })}
                />
              ) : null}
            </TableCell>
          </>
        )}
      </QueryTable>
    </div>
  );
}
