'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '../../components/ui/dialog.tsx';
import { Input } from '../../components/ui/input.tsx';
import { Field } from './field.tsx';
import { FormError } from './form-error.tsx';
import { slugify } from './lib/slugify.ts';
import { notifySuccess } from './notify.ts';
import { useTRPC } from './trpc.ts';

/** Any signed-in user may start a team; they become its owner. */
export function CreateTeamDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState<string | null>(null);
  const create = useMutation(
    trpc.team.create.mutationOptions({
      onSuccess: async (team) => {
        await queryClient.invalidateQueries(trpc.me.pathFilter());
        notifySuccess(`Team “${team.name}” created`);
        onOpenChange(false);
        router.push(`/t/${team.slug}/dashboard`);
      },
    }),
  );
  const effectiveSlug = slug ?? slugify(name);

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    create.mutate({ name, slug: effectiveSlug });
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New team</DialogTitle>
          <DialogDescription>A team has its own jobs, Stars, members and audit log.</DialogDescription>
        </DialogHeader>
        <form className="grid gap-4" onSubmit={submit}>
          <Field id="team-new-name" label="Name">
            <Input
              id="team-new-name"
              value={name}
              onChange={(event) => setName(event.target.value)}
              required
            />
          </Field>
          <Field id="team-new-slug" label="Address">
            <div className="flex items-center gap-1 text-sm text-muted-foreground">
              /t/
              <Input
                id="team-new-slug"
                className="font-mono"
                value={effectiveSlug}
                onChange={(event) => setSlug(event.target.value)}
                required
              />
            </div>
          </Field>
          {create.isError ? <FormError error={create.error} /> : null}
          <DialogFooter>
            <Button type="submit" disabled={create.isPending}>
              Create team
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
