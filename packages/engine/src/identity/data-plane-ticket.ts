import { posix } from 'node:path';
import { OrbitError } from '../errors.ts';
import { type CryptoKey, GRID_KEY_ALGORITHM, GRID_SIGNING_ALGORITHM } from './grid-crypto.ts';
import { TicketError } from './identity-errors.ts';
import { requireGridId } from './star-naming.ts';
import { x509 } from './x509.ts';

/**
 * A ticket lets bytes of one job flow from `sourceStarId` to `destinationStarId` under `path`.
 * `direction` says who presents it: `send` — the source presents it to the destination to push;
 * `receive` — the destination presents it to the source to pull. The Star that checks a ticket is
 * always the other end: the destination for `send`, the source for `receive`.
 */
export interface TicketClaims {
  readonly jobId: string;
  /** Absolute POSIX path the transfer is confined to: the file, or the directory it lives under. */
  readonly path: string;
  readonly direction: TicketDirection;
  readonly sourceStarId: string;
  readonly destinationStarId: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

export type TicketDirection = 'send' | 'receive';

export type SignTicketInput = Omit<TicketClaims, 'issuedAt' | 'expiresAt'> & {
  /** Defaults to `issuedAt` + DEFAULT_TICKET_TTL_MS. */
  readonly expiresAt?: Date;
  /** Defaults to now. */
  readonly issuedAt?: Date;
};

/** Long enough to open a connection and start a transfer; a running transfer is not cut off. */
export const DEFAULT_TICKET_TTL_MS = 10 * 60 * 1000;
/** Tickets are short-lived by design; a day is the most the signer will issue. */
export const MAX_TICKET_TTL_MS = 24 * 60 * 60 * 1000;
/** Tolerated clock difference between the Nucleus and a Star. */
export const TICKET_CLOCK_SKEW_MS = 60 * 1000;

const PREFIX = 'ot1';

interface WireClaims {
  job: string;
  path: string;
  dir: TicketDirection;
  src: string;
  dst: string;
  iat: number;
  exp: number;
}

/** `ot1.<base64url JSON claims>.<base64url ECDSA P-256 signature>`, signed with the grid CA key. */
export async function signTicket(input: SignTicketInput, caKey: CryptoKey): Promise<string> {
  const issuedAt = input.issuedAt ?? new Date();
  const expiresAt = input.expiresAt ?? new Date(issuedAt.getTime() + DEFAULT_TICKET_TTL_MS);
  const ttl = expiresAt.getTime() - issuedAt.getTime();
  if (!(ttl > 0 && ttl <= MAX_TICKET_TTL_MS)) {
    throw new OrbitError('INVALID_ARGUMENT', `ticket lifetime must be between 1 ms and 24 h, got ${ttl} ms`, {
      keyPath: 'expiresAt',
      hint: 'leave expiresAt out for the 10-minute default',
    });
  }
  if (input.direction !== 'send' && input.direction !== 'receive') {
    throw new OrbitError(
      'INVALID_ARGUMENT',
      `ticket direction must be "send" or "receive", got "${input.direction}"`,
      {
        keyPath: 'direction',
      },
    );
  }
  if (input.jobId === '')
    throw new OrbitError('INVALID_ARGUMENT', 'ticket jobId is empty', { keyPath: 'jobId' });
  const wire: WireClaims = {
    job: input.jobId,
    path: requireCanonicalPath(input.path, 'path'),
    dir: input.direction,
    src: requireGridId(input.sourceStarId, 'sourceStarId'),
    dst: requireGridId(input.destinationStarId, 'destinationStarId'),
    iat: issuedAt.getTime(),
    exp: expiresAt.getTime(),
  };
  const payload = base64UrlEncode(new TextEncoder().encode(JSON.stringify(wire)));
  const signed = new TextEncoder().encode(`${PREFIX}.${payload}`);
  const signature = await globalThis.crypto.subtle.sign(GRID_SIGNING_ALGORITHM, caKey, signed);
  return `${PREFIX}.${payload}.${base64UrlEncode(new Uint8Array(signature))}`;
}

export interface TicketExpectation {
  readonly direction: TicketDirection;
  /** The verifying Star's own id: the destination for `send` tickets, the source for `receive`. */
  readonly starId: string;
  readonly jobId?: string;
  /** The path about to be read or written; must equal the ticket's path or lie under it. */
  readonly path?: string;
}

export interface VerifyTicketOptions {
  readonly now?: Date;
  readonly expect: TicketExpectation;
}

/** Checks signature, lifetime and every expectation; throws a TicketError naming the first that fails. */
export async function verifyTicket(
  ticket: string,
  caCertificatePem: string,
  { now = new Date(), expect }: VerifyTicketOptions,
): Promise<TicketClaims> {
  const parts = typeof ticket === 'string' ? ticket.split('.') : [];
  const [prefix, payload, signature] = parts;
  if (parts.length !== 3 || prefix !== PREFIX || !payload || !signature) {
    throw new TicketError('malformed', `ticket is not in the form ${PREFIX}.<claims>.<signature>`, {
      hint: 'pass the ticket string exactly as the Nucleus issued it',
    });
  }
  const signatureBytes = base64UrlDecode(signature);
  if (signatureBytes === undefined || base64UrlDecode(payload) === undefined) {
    throw new TicketError('malformed', 'ticket parts are not base64url', {
      hint: 'pass the ticket string exactly as the Nucleus issued it',
    });
  }
  const key = await caVerifyKey(caCertificatePem);
  const signedBytes = new TextEncoder().encode(`${prefix}.${payload}`);
  const valid = await globalThis.crypto.subtle.verify(
    GRID_SIGNING_ALGORITHM,
    key,
    signatureBytes,
    signedBytes,
  );
  if (!valid) {
    throw new TicketError('bad-signature', "ticket signature does not verify against the grid CA's key", {
      hint: 'the ticket was altered or issued by another grid; ask the Nucleus for a new one',
    });
  }
  const claims = decodeClaims(payload);
  const at = now.getTime();
  if (at < claims.issuedAt.getTime() - TICKET_CLOCK_SKEW_MS) {
    throw new TicketError(
      'not-yet-valid',
      `ticket is issued for ${claims.issuedAt.toISOString()}, in the future`,
      {
        hint: "the Nucleus' and this Star's clocks differ by more than a minute; sync them (NTP)",
      },
    );
  }
  if (at >= claims.expiresAt.getTime()) {
    throw new TicketError('expired', `ticket expired at ${claims.expiresAt.toISOString()}`, {
      hint: 'ask the Nucleus for a new ticket (tickets live 10 minutes by default)',
    });
  }
  if (claims.direction !== expect.direction) {
    throw new TicketError(
      'wrong-direction',
      `ticket is for "${claims.direction}", this operation needs "${expect.direction}"`,
    );
  }
  const verifier = claims.direction === 'send' ? claims.destinationStarId : claims.sourceStarId;
  if (verifier !== expect.starId) {
    throw new TicketError('wrong-star', `ticket is for Star ${verifier}, this is Star ${expect.starId}`, {
      hint: 'the peer dialled the wrong Star; the Nucleus must issue a ticket naming this one',
    });
  }
  if (expect.jobId !== undefined && claims.jobId !== expect.jobId) {
    throw new TicketError('wrong-job', `ticket is for job ${claims.jobId}, not job ${expect.jobId}`);
  }
  if (expect.path !== undefined && !isWithin(expect.path, claims.path)) {
    throw new TicketError('wrong-path', `path "${expect.path}" is not "${claims.path}" or under it`, {
      path: expect.path,
    });
  }
  return claims;
}

function decodeClaims(payload: string): TicketClaims {
  let wire: unknown;
  try {
    const bytes = base64UrlDecode(payload);
    if (bytes === undefined) throw new Error('not base64url');
    wire = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new TicketError('malformed', 'ticket claims are not base64url JSON', { cause });
  }
  if (!isWireClaims(wire)) {
    throw new TicketError('malformed', 'ticket claims lack job, path, dir, src, dst, iat or exp');
  }
  return {
    jobId: wire.job,
    path: wire.path,
    direction: wire.dir,
    sourceStarId: wire.src,
    destinationStarId: wire.dst,
    issuedAt: new Date(wire.iat),
    expiresAt: new Date(wire.exp),
  };
}

function isWireClaims(value: unknown): value is WireClaims {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    ['job', 'path', 'src', 'dst'].every((key) => typeof record[key] === 'string') &&
    (record.dir === 'send' || record.dir === 'receive') &&
    Number.isSafeInteger(record.iat) &&
    Number.isSafeInteger(record.exp)
  );
}

/** Absolute, no `.`/`..` segments, no `//`, no trailing slash (except `/`), no NUL: compared as plain strings. */
function requireCanonicalPath(path: string, keyPath: string): string {
  if (!isCanonicalPath(path)) {
    throw new OrbitError('INVALID_ARGUMENT', `ticket ${keyPath} "${path}" is not a canonical absolute path`, {
      keyPath,
      hint: 'use an absolute path without "..", "." or repeated or trailing slashes',
    });
  }
  return path;
}

function isCanonicalPath(path: string): boolean {
  return (
    path.startsWith('/') &&
    !path.includes('\0') &&
    posix.normalize(path) === path &&
    (path === '/' || !path.endsWith('/'))
  );
}

function isWithin(path: string, root: string): boolean {
  if (!isCanonicalPath(path)) return false;
  return path === root || path.startsWith(root === '/' ? '/' : `${root}/`);
}

let cachedKey: { pem: string; key: Promise<CryptoKey> } | undefined;

/** Verifying is hot on the data plane; importing the same CA key once is enough. */
function caVerifyKey(caCertificatePem: string): Promise<CryptoKey> {
  if (cachedKey?.pem !== caCertificatePem) {
    const key = (async () => {
      try {
        return await new x509.X509Certificate(caCertificatePem).publicKey.export(GRID_KEY_ALGORITHM, [
          'verify',
        ]);
      } catch (cause) {
        throw new OrbitError(
          'INVALID_ARGUMENT',
          'the CA certificate for ticket checks is not a valid ECDSA P-256 certificate',
          {
            hint: "pass the grid CA certificate (star.toml's hub.ca_cert)",
            cause,
          },
        );
      }
    })();
    cachedKey = { pem: caCertificatePem, key };
    key.catch(() => {
      if (cachedKey?.key === key) cachedKey = undefined;
    });
  }
  return cachedKey.key;
}

function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const padded = text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}
