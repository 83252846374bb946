'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { Button } from '../../components/ui/button.tsx';
import { CodeBlock } from '../../components/ui/code-block.tsx';
import { Input } from '../../components/ui/input.tsx';
import { Select } from '../../components/ui/select.tsx';
import { ChoiceOptions } from '../shell/choice-options.tsx';
import { Field } from '../shell/field.tsx';
import { formatDateTime } from '../shell/lib/format.ts';
import { SecretOnceDialog } from '../shell/secret-once-dialog.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';

const LIFETIMES = [
  { value: 15, label: '15 minutes' },
  { value: 60, label: '1 hour' },
  { value: 24 * 60, label: '1 day' },
  { value: 7 * 24 * 60, label: '7 days' },
];

/** Issues a single-use join token; the token exists in this dialog only, so it is shown once. */
export function AddStarDialog() {
  const team = useTeam();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const issue = useMutation(
    trpc.joinToken.issue.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.joinToken.pathFilter()),
    }),
  );

  function submit(form: FormData): void {
    const name = String(form.get('name') ?? '').trim();
    issue.mutate({
      teamSlug: team.slug,
      ttlMinutes: Number(form.get('ttl') ?? 60),
      ...(name ? { name } : {}),
    });
  }

  return (
    <SecretOnceDialog
      trigger={
        <Button>
          <Plus />
          Add Star
        </Button>
      }
      title="Add a Star"
      description={`A join token lets one machine enrol as a Star of ${team.name}. It works once and expires.`}
      className="sm:max-w-xl"
      mutation={issue}
      submitLabel="Issue join token"
      onSubmit={submit}
      fields={
        <>
          <Field id="join-name" label="Name (optional)">
            <Input id="join-name" name="name" placeholder="nas-01" maxLength={63} />
          </Field>
          <Field id="join-ttl" label="Valid for">
            <Select id="join-ttl" name="ttl" defaultValue="60">
              <ChoiceOptions choices={LIFETIMES} />
            </Select>
          </Field>
        </>
      }
      notice={(issued) => (
        <>
          Copy it now: this token is shown once and cannot be retrieved later. It expires{' '}
          <strong>{formatDateTime(issued.expiresAt)}</strong>.
        </>
      )}
    >
      {(issued) => (
        <>
          {issued.joinCommand ? (
            <Field label="Run on the new machine">
              <CodeBlock code={issued.joinCommand} label="join command" />
            </Field>
          ) : (
            <p className="rounded-md bg-muted/60 p-3 text-sm text-muted-foreground">
              This Nucleus runs no grid endpoint (ORBIT_GRID=off), so no Star can use the token until the grid
              is switched on.
            </p>
          )}
          <Field label="Token">
            <CodeBlock code={issued.token} label="join token" />
          </Field>
        </>
      )}
    </SecretOnceDialog>
  );
}
