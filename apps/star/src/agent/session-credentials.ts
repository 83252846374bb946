import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { OrbitError } from '@orbit/engine/errors';
import type { StarIdentity } from '@orbit/engine/identity/star-identity';
import { parseStarUri } from '@orbit/engine/identity/star-naming';
import type { StarConfig } from '../config/star-config-schema.ts';
import type { StarCredentials } from './star-credentials.ts';

/**
 * The Star's credentials for `serve`, checked with the runtime's own X.509 (node:crypto, native in
 * Node and Deno) instead of @peculiar/x509: the agent reads them at every session start, and the
 * library would stay resident (~7 MiB) in an agent that is idle almost all of its life. Same checks
 * and the same StarIdentity as the engine's parseStarIdentity (tested against it).
 */
export async function loadSessionCredentials(config: StarConfig, now = new Date()): Promise<StarCredentials> {
  const [keyPem, chainPem, caPem] = await Promise.all([
    readCredential(config.star.keyFile, 'private key'),
    readCredential(config.star.certFile, 'certificate'),
    readCredential(config.hub.caCert, 'grid CA certificate'),
  ]);
  const refused = (message: string, hint: string) =>
    new OrbitError('INVALID_ARGUMENT', message, { path: config.star.certFile, hint });
  let leaf: X509Certificate;
  let ca: X509Certificate;
  try {
    leaf = new X509Certificate(firstPemBlock(chainPem));
    ca = new X509Certificate(caPem);
  } catch {
    throw refused(
      'the Star certificate is not a valid X.509 certificate (PEM or DER)',
      'join the Star again with a new join token',
    );
  }
  const identities = (leaf.subjectAltName ?? '')
    .split(', ')
    .filter((name) => name.startsWith('URI:'))
    .map((name) => parseStarUri(name.slice(4)))
    .filter((identity) => identity !== undefined);
  const identity = identities[0];
  if (identity === undefined || identities.length > 1) {
    throw refused(
      `certificate "${leaf.subject}" has ${identities.length === 0 ? 'no' : 'more than one'} spiffe://orbit/team/…/star/… URI in its subjectAltName`,
      'use the certificate the Nucleus issued to this Star at enrolment',
    );
  }
  if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) {
    throw refused(
      `certificate "${leaf.subject}" was not issued by this grid's CA`,
      'the Star belongs to another grid or its certificate was forged; enrol it again with a join token',
    );
  }
  const fields = tbsFields(leaf.raw);
  if (now < fields.notBefore) {
    throw refused(
      `certificate is not valid until ${fields.notBefore.toISOString()}`,
      "check this machine's clock",
    );
  }
  if (now > fields.notAfter) {
    throw refused(
      `certificate expired at ${fields.notAfter.toISOString()}`,
      'renew before expiry, or enrol the Star again with a new join token',
    );
  }
  const star: StarIdentity = {
    ...identity,
    fingerprint: createHash('sha256').update(leaf.raw).digest('hex'),
    ...fields,
  };
  return { keyPem, chainPem, caPem, identity: star };
}

export async function readCredential(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as { code?: string }).code === 'ENOENT';
    throw new OrbitError(
      missing ? 'NOT_FOUND' : 'IO',
      `cannot read the Star's ${what}: ${(error as Error).message}`,
      {
        path: file,
        hint: missing
          ? 'run `orbit-star join` first; it writes the key, certificate and CA'
          : 'check the file permissions',
        cause: error,
      },
    );
  }
}

function firstPemBlock(text: string): string {
  return /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(text)?.[0] ?? text;
}

/**
 * Serial and validity straight from the DER, spelled as @peculiar/x509 spells them (the serial's
 * INTEGER bytes in lowercase hex, leading zero kept): node:crypto drops that zero.
 */
function tbsFields(der: Uint8Array): Pick<StarIdentity, 'serialNumber' | 'notBefore' | 'notAfter'> {
  const certificate = readTlv(der, 0);
  const tbs = readTlv(der, certificate.start);
  let field = readTlv(der, tbs.start);
  if (field.tag === 0xa0) field = readTlv(der, field.end); // skip the [0] version
  const serialNumber = Buffer.from(der.subarray(field.start, field.end)).toString('hex');
  const issuer = readTlv(der, readTlv(der, field.end).end); // after the signature algorithm
  const validity = readTlv(der, issuer.end);
  const notBefore = readTlv(der, validity.start);
  const notAfter = readTlv(der, notBefore.end);
  return { serialNumber, notBefore: derTime(der, notBefore), notAfter: derTime(der, notAfter) };
}

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

function readTlv(der: Uint8Array, offset: number): Tlv {
  const tag = der[offset] ?? 0;
  let length = der[offset + 1] ?? 0;
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    length = 0;
    for (let index = 0; index < bytes; index++) length = length * 256 + (der[start + index] ?? 0);
    start += bytes;
  }
  if (start + length > der.length) throw new Error('truncated DER in the Star certificate');
  return { tag, start, end: start + length };
}

/** UTCTime (YYMMDDHHMMSSZ, years 1950–2049) or GeneralizedTime (YYYYMMDDHHMMSSZ). */
function derTime(der: Uint8Array, { tag, start, end }: Tlv): Date {
  const text = Buffer.from(der.subarray(start, end)).toString('latin1');
  const full = tag === 0x17 ? `${Number(text.slice(0, 2)) < 50 ? '20' : '19'}${text}` : text;
  const [year, month, day, hour, minute, second] = [0, 4, 6, 8, 10, 12].map((from, index) =>
    Number(full.slice(from, index === 0 ? 4 : from + 2)),
  ) as [number, number, number, number, number, number];
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}
