'use client';

import { type FormEvent, type ReactNode, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '../../components/ui/dialog.tsx';
import { FormError } from './form-error.tsx';

/** What the dialog reads from the mutation that creates the secret (a TanStack mutation fits). */
export interface SecretMutation<Secret> {
  readonly data: Secret | undefined;
  readonly isPending: boolean;
  readonly isError: boolean;
  readonly error: unknown;
  readonly reset: () => void;
}

/**
 * A form that creates a secret (API token, invitation link, join token), then shows it once with a
 * warning to copy it. Closing forgets the secret: reopening offers a new one, never the one already shown.
 */
export function SecretOnceDialog<Secret>({
  trigger,
  title,
  description,
  className,
  mutation,
  fields,
  submitLabel,
  onSubmit,
  notice,
  children,
}: {
  trigger: ReactNode;
  title: string;
  description: ReactNode;
  className?: string;
  mutation: SecretMutation<Secret>;
  fields: ReactNode;
  submitLabel: string;
  onSubmit: (form: FormData) => void;
  notice: (secret: Secret) => ReactNode;
  children: (secret: Secret) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const close = (): void => {
    setOpen(false);
    mutation.reset();
  };
  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    onSubmit(new FormData(event.currentTarget));
  }
  return (
    <Dialog open={open} onOpenChange={(next) => (next ? setOpen(true) : close())}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className={className}>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {mutation.data ? (
          <div className="grid gap-4">
            <p className="rounded-md border border-warning/40 bg-warning/5 p-3 text-sm">
              {notice(mutation.data)}
            </p>
            {children(mutation.data)}
            <DialogFooter>
              <Button onClick={close}>Done</Button>
            </DialogFooter>
          </div>
        ) : (
          <form className="grid gap-4" onSubmit={submit}>
            {fields}
            {mutation.isError ? <FormError error={mutation.error} /> : null}
            <DialogFooter>
              <Button type="submit" disabled={mutation.isPending}>
                {submitLabel}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
