import { toast } from '../../components/ui/toast.tsx';
import { errorMessage } from './lib/error-message.ts';

/** Mutation callbacks that report the outcome the same way on every screen. */
export function notifySuccess(title: string, description?: string): void {
  toast({ tone: 'success', title, ...(description ? { description } : {}) });
}

export function notifyError(title: string): (error: unknown) => void {
  return (error) => toast({ tone: 'error', title, description: errorMessage(error) });
}

/** A mutation's onSuccess that waits for the lists to refresh, so the toast never precedes the change. */
export function notifySuccessAfter(
  refresh: () => Promise<unknown>,
  title: string,
  description?: string,
): () => Promise<void> {
  return async () => {
    await refresh();
    notifySuccess(title, description);
  };
}
