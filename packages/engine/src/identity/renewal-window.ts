// Apart from star-identity.ts so a Star's renewal timer does not load the X.509 library.

/** True when the certificate expires within `windowMs` of `now` (or already has). */
export function needsRenewal(notAfter: Date, now: Date, windowMs: number): boolean {
  return notAfter.getTime() - now.getTime() <= windowMs;
}

/** Renew when a third of a 30-day certificate's life is left; also covers a Star offline for a week. */
export const DEFAULT_RENEWAL_WINDOW_MS = 10 * 24 * 60 * 60 * 1000;
