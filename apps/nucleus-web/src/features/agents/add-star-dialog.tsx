'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { CodeBlock } from '../../components/ui/code-block.tsx';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '../../components/ui/dialog.tsx';
import { Input } from '../../components/ui/input.tsx';
import { Label } from '../../components/ui/label.tsx';
import { Select } from '../../components/ui/select.tsx';
import { errorMessage } from '../shell/lib/error-message.ts';
import { formatDateTime } from '../shell/lib/format.ts';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';

const LIFETIMES = [
  { minutes: 15, label: '15 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 24 * 60, label: '1 day' },
  { minutes: 7 * 24 * 60, label: '7 days' },
];

/** Issues a single-use join token; the token exists in this dialog only, so it is shown once. */
export function AddStarDialog() {
  const team = useTeam();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const issue = useMutation(
    trpc.joinToken.issue.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.joinToken.pathFilter()),
    }),
  );
  // Closing forgets the secret: reopening offers a new one, never the one already shown.
  const close = (): void => {
    setOpen(false);
    issue.reset();
  };

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    issue.mutate({
      teamSlug: team.slug,
      ttlMinutes: Number(form.get('ttl') ?? 60),
      ...(name ? { name } : {}),
    });
  }

  return (
    <Dialog open={open} onOpenChange={(next) => (next ? setOpen(true) : close())}>
      <DialogTrigger asChild>
        <Button>
          <Plus />
          Add Star
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Add a Star</DialogTitle>
          <DialogDescription>
            A join token lets one machine enrol as a Star of {team.name}. It works once and expires.
          </DialogDescription>
        </DialogHeader>
        {issue.data ? (
          <div className="grid gap-4">
            <p className="rounded-md border border-warning/40 bg-warning/5 p-3 text-sm">
              Copy it now: this token is shown once and cannot be retrieved later. It expires{' '}
              <strong>{formatDateTime(issue.data.expiresAt)}</strong>.
            </p>
            {issue.data.joinCommand ? (
              <div className="grid gap-2">
                <Label>Run on the new machine</Label>
                <CodeBlock code={issue.data.joinCommand} label="join command" />
              </div>
            ) : (
              <p className="rounded-md bg-muted/60 p-3 text-sm text-muted-foreground">
                This Nucleus runs no grid endpoint (ORBIT_GRID=off), so no Star can use the token until the
                grid is switched on.
              </p>
            )}
            <div className="grid gap-2">
              <Label>Token</Label>
              <CodeBlock code={issue.data.token} label="join token" />
            </div>
            <DialogFooter>
              <Button onClick={close}>Done</Button>
            </DialogFooter>
          </div>
        ) : (
          <form className="grid gap-4" onSubmit={submit}>
            <div className="grid gap-2">
              <Label htmlFor="join-name">Name (optional)</Label>
              <Input id="join-name" name="name" placeholder="nas-01" maxLength={80} />
            </div>
            <div className="grid gap-2">
              <Label htmlFor="join-ttl">Valid for</Label>
              <Select id="join-ttl" name="ttl" defaultValue="60">
                {LIFETIMES.map((lifetime) => (
                  <option key={lifetime.minutes} value={lifetime.minutes}>
                    {lifetime.label}
                  </option>
                ))}
              </Select>
            </div>
            {issue.isError ? (
              <p role="alert" className="text-sm text-destructive">
                {errorMessage(issue.error)}
              </p>
            ) : null}
            <DialogFooter>
              <Button type="submit" disabled={issue.isPending}>
                Issue join token
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
