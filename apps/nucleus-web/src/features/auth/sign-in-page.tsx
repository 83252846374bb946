'use client';

import { KeyRound, LoaderCircle } from 'lucide-react';
import { useRouter, useSearchParams } from 'next/navigation';
import { type ClientSafeProvider, getProviders, signIn } from 'next-auth/react';
import { type FormEvent, Suspense, useEffect, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Input } from '../../components/ui/input.tsx';
import { Field } from '../shell/field.tsx';
import { FormError } from '../shell/form-error.tsx';
import { useHydrated } from '../shell/use-hydrated.ts';
import { AuthCard } from './auth-card.tsx';
import { signInErrorMessage } from './lib/sign-in-error.ts';

function SignInForm() {
  const router = useRouter();
  const params = useSearchParams();
  const callbackUrl = params.get('callbackUrl') ?? '/';
  const [error, setError] = useState<string | null>(
    params.get('error') ? signInErrorMessage(params.get('error') ?? '') : null,
  );
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();
  const [oidc, setOidc] = useState<ClientSafeProvider[]>([]);

  useEffect(() => {
    void getProviders().then((providers) => {
      setOidc(Object.values(providers ?? {}).filter((provider) => provider.type === 'oauth'));
    });
  }, []);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    setPending(false);
    if (!result || result.error) {
      setError(signInErrorMessage(result?.error ?? 'unknown'));
      return;
    }
    // Only same-origin paths are followed, so a crafted callbackUrl cannot send the user elsewhere.
    router.replace(callbackUrl.startsWith('/') && !callbackUrl.startsWith('//') ? callbackUrl : '/');
    router.refresh();
  }

  return (
    <form method="post" className="grid gap-4" onSubmit={(event) => void submit(event)}>
      <Field id="email" label="Email">
        <Input id="email" name="email" type="email" autoComplete="email" required autoFocus />
      </Field>
      <Field id="password" label="Password">
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      {error ? <FormError error={error} /> : null}
      <Button type="submit" disabled={pending || !hydrated}>
        {pending ? <LoaderCircle className="animate-spin" /> : null}
        Sign in
      </Button>
      {oidc.map((provider) => (
        <Button
          key={provider.id}
          type="button"
          variant="outline"
          onClick={() => void signIn(provider.id, { callbackUrl })}
        >
          <KeyRound />
          Continue with {provider.name}
        </Button>
      ))}
    </form>
  );
}

export function SignInPage() {
  return (
    <AuthCard title="Sign in" description="Use the email and password of your Orbit account.">
      <Suspense>
        <SignInForm />
      </Suspense>
    </AuthCard>
  );
}
