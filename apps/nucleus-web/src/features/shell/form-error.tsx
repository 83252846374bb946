import { errorMessage } from './lib/error-message.ts';

/** A failed submit's message under its form, announced to screen readers. */
export function FormError({ error }: { error: unknown }) {
  return (
    <p role="alert" className="text-sm text-destructive">
      {errorMessage(error)}
    </p>
  );
}
