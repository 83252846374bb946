/** Turns whatever a failed query or mutation throws into one sentence for a toast or an error state. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  return 'The request failed. Check your connection and try again.';
}

/** tRPC puts its error code on `data.code`; screens branch on it (e.g. UNAUTHORIZED → sign in again). */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('data' in error)) return undefined;
  const data = (error as { data: unknown }).data;
  if (typeof data !== 'object' || data === null || !('code' in data)) return undefined;
  const code = (data as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
