/**
 * next-auth reports a failed sign-in as a code (`CredentialsSignin`, `OAuthSignin`…) or, when the
 * server's authorize step throws, as that error's message (e.g. the rate-limit notice) — shown as is.
 */
const KNOWN: Record<string, string> = {
  CredentialsSignin: 'Email or password is incorrect.',
  OAuthSignin: 'Could not start single sign-on. Try again or use your password.',
  OAuthCallback: 'Single sign-on did not complete. Try again.',
  OAuthAccountNotLinked: 'This email is already linked to another sign-in method.',
  AccessDenied: 'Your account is not allowed to sign in here.',
  SessionRequired: 'Please sign in to continue.',
  Configuration: 'Sign-in is misconfigured on the server. Ask your administrator.',
  OidcEmailNotVerified: 'Your single sign-on account has no verified email address.',
  OidcNoAccount: 'No Orbit account uses this email. Ask a team owner to invite you first.',
};

export function signInErrorMessage(code: string): string {
  if (KNOWN[code]) return KNOWN[code];
  if (code === 'unknown' || code === 'Default' || code === '') return 'Sign-in failed. Try again.';
  return code;
}
