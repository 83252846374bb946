import { Buffer } from 'node:buffer';
import { createHash, type Hash, timingSafeEqual } from 'node:crypto';
import { OrbitError } from '../errors.ts';
import type { AuditEvent, AuditRecord } from './audit-events.ts';
import { canonicalJson } from './canonical-json.ts';

/**
 * The HMAC chain shared by the Star's JSON Lines log and the Nucleus' database audit table:
 * each record carries `seq`, the previous record's `mac` as `prev`, and its own `mac`
 * = HMAC-SHA256(key, canonical JSON of the record without `mac`).
 */
export type AuditKey = string | Uint8Array;

export const AUDIT_KEY_ENV = 'ORBIT_AUDIT_KEY';

const encoder = new TextEncoder();

/** Turns a configured key into bytes, refusing a missing or empty one with a fix. */
export function resolveAuditKey(key: AuditKey | undefined | null): Uint8Array {
  const bytes = typeof key === 'string' ? encoder.encode(key) : key;
  if (bytes === undefined || bytes === null || bytes.length === 0) {
    throw new OrbitError('INVALID_ARGUMENT', 'no audit key is configured', {
      keyPath: 'audit.key',
      hint: `set ${AUDIT_KEY_ENV} (or audit.key in the configuration) to a long random secret, e.g. \`openssl rand -hex 32\``,
    });
  }
  return bytes;
}

/** HMAC-SHA256 over the canonical JSON of `record`, ignoring any `mac` it already carries. */
export function computeAuditMac(key: AuditKey, record: object): string {
  const { mac: _mac, ...rest } = record as Record<string, unknown>;
  const { inner, outer } = keyedSha256(resolveAuditKey(key));
  const innerDigest = inner.copy().update(canonicalJson(rest)).digest();
  return outer.copy().update(innerDigest).digest('hex');
}

interface KeyedSha256 {
  readonly key: Uint8Array;
  readonly inner: Hash;
  readonly outer: Hash;
}

/** The last key's SHA-256 states: a run signs every line with one key. */
let lastKeyed: KeyedSha256 | undefined;

/**
 * HMAC (RFC 2104) as two SHA-256 states that have absorbed the padded key; each MAC copies them.
 * Keying a new `createHmac` per line cost about three times as much under Deno (12 µs against 4),
 * and a run signs two lines per file it writes.
 */
function keyedSha256(key: Uint8Array): KeyedSha256 {
  if (lastKeyed !== undefined && sameBytes(lastKeyed.key, key)) return lastKeyed;
  const block = new Uint8Array(64);
  block.set(key.length > block.length ? createHash('sha256').update(key).digest() : key);
  lastKeyed = {
    key: key.slice(),
    inner: createHash('sha256').update(block.map((byte) => byte ^ 0x36)),
    outer: createHash('sha256').update(block.map((byte) => byte ^ 0x5c)),
  };
  return lastKeyed;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/** Constant-time comparison of the record's `mac` with the one the key produces. */
export function hasValidAuditMac<R extends { readonly mac: string }>(key: AuditKey, record: R): boolean {
  const expected = Buffer.from(computeAuditMac(key, record), 'hex');
  const actual = Buffer.from(record.mac, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Places `event` after `prev` (null for the first record) and signs it. */
export function linkAuditRecord<E extends object = AuditEvent>(
  prev: { readonly seq: number; readonly mac: string } | null,
  event: E,
  key: AuditKey,
): AuditRecord<E> {
  for (const field of ['seq', 'prev', 'mac']) {
    if (field in event) {
      throw new OrbitError('INVALID_ARGUMENT', `an audit event must not carry "${field}"`, {
        keyPath: field,
        hint: 'pass the bare event; linkAuditRecord adds the chain fields',
      });
    }
  }
  const unsigned = { ...event, seq: prev === null ? 1 : prev.seq + 1, prev: prev === null ? null : prev.mac };
  return { ...unsigned, mac: computeAuditMac(key, unsigned) };
}
