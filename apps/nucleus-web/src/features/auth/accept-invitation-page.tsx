'use client';

import { useMutation } from '@tanstack/react-query';
import { LoaderCircle } from 'lucide-react';
import { useRouter, useSearchParams } from 'next/navigation';
import { signIn } from 'next-auth/react';
import { type FormEvent, Suspense, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Input } from '../../components/ui/input.tsx';
import { Field } from '../shell/field.tsx';
import { FormError } from '../shell/form-error.tsx';
import { errorMessage } from '../shell/lib/error-message.ts';
import { useTRPC } from '../shell/trpc.ts';
import { useHydrated } from '../shell/use-hydrated.ts';
import { AuthCard } from './auth-card.tsx';

function AcceptInvitationForm() {
  const token = useSearchParams().get('token') ?? '';
  const router = useRouter();
  const trpc = useTRPC();
  const accept = useMutation(trpc.invitation.accept.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const hydrated = useHydrated();

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    if (password !== String(form.get('confirm') ?? '')) {
      setError('The two passwords differ.');
      return;
    }
    setError(null);
    try {
      const name = String(form.get('name') ?? '').trim();
      const result = await accept.mutateAsync({ token, password, ...(name ? { name } : {}) });
      const signedIn = await signIn('credentials', { email: result.email, password, redirect: false });
      router.replace(signedIn?.ok ? `/t/${result.teamSlug}/dashboard` : '/sign-in');
    } catch (cause) {
      setError(errorMessage(cause));
    }
  }

  if (token === '') {
    return (
      <p role="alert" className="text-sm text-destructive">
        This link has no invitation token. Open the full link you were sent, or ask the team owner for a new
        one.
      </p>
    );
  }
  return (
    <form method="post" className="grid gap-4" onSubmit={(event) => void submit(event)}>
      <Field id="name" label="Your name">
        <Input id="name" name="name" autoComplete="name" autoFocus />
        <p className="text-xs text-muted-foreground">Leave empty if you already have an Orbit account.</p>
      </Field>
      <Field id="password" label="Password">
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={12}
          required
        />
        <p className="text-xs text-muted-foreground">
          A new password (at least 12 characters), or your current one if you already have an account.
        </p>
      </Field>
      <Field id="confirm" label="Repeat password">
        <Input id="confirm" name="confirm" type="password" autoComplete="new-password" required />
      </Field>
      {error ? <FormError error={error} /> : null}
      <Button type="submit" disabled={accept.isPending || !hydrated}>
        {accept.isPending ? <LoaderCircle className="animate-spin" /> : null}
        Accept invitation
      </Button>
    </form>
  );
}

export function AcceptInvitationPage() {
  return (
    <AuthCard title="Join your team" description="Accept the invitation to start working with your team.">
      <Suspense>
        <AcceptInvitationForm />
      </Suspense>
    </AuthCard>
  );
}
