import { createHash, randomBytes } from 'node:crypto';

/**
 * High-entropy bearer secrets (API tokens, join tokens, invitation links). 256 random bits make a
 * fast hash safe at rest: sha256 is stored, the token is shown once and never again.
 */
export const TOKEN_PREFIXES = { api: 'orb_', join: 'orbj_', invitation: 'orbi_' } as const;
export type TokenKind = keyof typeof TOKEN_PREFIXES;

export function generateToken(kind: TokenKind): string {
  return `${TOKEN_PREFIXES[kind]}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What lists show so people can tell tokens apart without seeing them. */
export function tokenDisplayPrefix(token: string): string {
  return token.slice(0, 12);
}
