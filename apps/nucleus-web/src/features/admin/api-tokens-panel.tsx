'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeySquare } from 'lucide-react';
import { Button } from '../../components/ui/button.tsx';
import { CodeBlock } from '../../components/ui/code-block.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { Input } from '../../components/ui/input.tsx';
import { Select } from '../../components/ui/select.tsx';
import { TableCell } from '../../components/ui/table.tsx';
import { atLeast, ROLES } from '../../server/auth/permissions.ts';
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

const EXPIRY_CHOICES = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '366', label: '1 year' },
  { value: 'never', label: 'Never' },
];

function CreateTokenDialog() {
  const team = useTeam();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.apiToken.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.apiToken.pathFilter()),
    }),
  );
  // A token can never carry more rights than the member who creates it.
  const grantable = ROLES.filter((role) => atLeast(team.role, role));
  function submit(form: FormData): void {
    const expiry = String(form.get('expiry') ?? '90');
    create.mutate({
      teamSlug: team.slug,
      name: String(form.get('name') ?? ''),
      role: parseRole(form.get('role')),
      expiresInDays: expiry === 'never' ? null : Number(expiry),
    });
  }
  return (
    <SecretOnceDialog
      trigger={
        <Button>
          <KeySquare />
          Create API token
        </Button>
      }
      title="Create an API token"
      description={
        <>
          For scripts and CI calling <code className="font-mono">/api/v1</code> with{' '}
          <code className="font-mono">Authorization: Bearer …</code>.
        </>
      }
      mutation={create}
      submitLabel="Create token"
      onSubmit={submit}
      fields={
        <>
          <Field id="token-name" label="Name">
            <Input id="token-name" name="name" required maxLength={80} placeholder="ci-nightly" />
          </Field>
          <div className="grid grid-cols-2 gap-4">
            <Field id="token-role" label="Role">
              <Select id="token-role" name="role" defaultValue="viewer">
                <ChoiceOptions choices={grantable} />
              </Select>
            </Field>
            <Field id="token-expiry" label="Expires after">
              <Select id="token-expiry" name="expiry" defaultValue="90">
                <ChoiceOptions choices={EXPIRY_CHOICES} />
              </Select>
            </Field>
          </div>
        </>
      }
      notice={() => 'Copy the token now: it is shown once and only its hash is kept.'}
    >
      {(created) => <CodeBlock code={created.token} label="API token" />}
    </SecretOnceDialog>
  );
}

export function ApiTokensPanel() {
  const team = useTeam();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.apiToken.list.queryOptions({ teamSlug: team.slug }));
  const revoke = useMutation(
    trpc.apiToken.revoke.mutationOptions({
      onSuccess: notifySuccessAfter(
        () => queryClient.invalidateQueries(trpc.apiToken.pathFilter()),
        'API token revoked',
      ),
      onError: notifyError('Could not revoke the token'),
    }),
  );
  return (
    <div className="grid gap-4">
      <div className="flex justify-end">
        <CreateTokenDialog />
      </div>
      <QueryTable
        query={tokens}
        columns={[
          { label: 'Name' },
          { label: 'Token' },
          { label: 'Role' },
          { label: 'Status' },
          { label: 'Last used' },
          { label: 'Expires' },
          ACTIONS_COLUMN,
        ]}
        rowKey={(token) => token.id}
        empty={<EmptyState icon={KeySquare} title="No API tokens" description="Create one for automation." />}
      >
        {(token) => (
          <>
            <TableCell className="font-medium">{token.name}</TableCell>
            <TableCell className="font-mono text-xs">{token.prefix}…</TableCell>
            <TableCell>{token.role}</TableCell>
            <TableCell>
              <StatusBadge status={token.status} />
            </TableCell>
            <TableCell title={formatDateTime(token.lastUsedAt)}>{formatRelative(token.lastUsedAt)}</TableCell>
            <TableCell>{token.expiresAt ? formatDateTime(token.expiresAt) : 'never'}</TableCell>
            <TableCell className="text-right">
              {token.status === 'active' ? (
                <ConfirmRowAction
                  label="Revoke"
                  title={`Revoke “${token.name}”?`}
                  description="Requests with this token are refused from now on. This cannot be undone."
                  confirmLabel="Revoke token"
                  onConfirm={() => revoke.mutate({ teamSlug: team.slug, apiTokenId: token.id })}
                />
              ) : null}
            </TableCell>
          </>
        )}
      </QueryTable>
    </div>
  );
}
