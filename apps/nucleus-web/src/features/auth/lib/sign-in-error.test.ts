import { describe, expect, it } from 'vitest';
import { signInErrorMessage } from './sign-in-error.ts';

describe('signInErrorMessage', () => {
  it('explains next-auth codes in words', () => {
    expect(signInErrorMessage('CredentialsSignin')).toBe('Email or password is incorrect.');
  });

  it('shows a server message such as the rate limit as it is', () => {
    expect(signInErrorMessage('Too many sign-in attempts; try again in 60 seconds.')).toBe(
      'Too many sign-in attempts; try again in 60 seconds.',
    );
  });

  it('falls back to a generic sentence for empty or default codes', () => {
    expect(signInErrorMessage('Default')).toBe('Sign-in failed. Try again.');
  });
});
