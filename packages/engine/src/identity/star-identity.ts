import { certificateFingerprint, GRID_KEY_ALGORITHM } from './grid-crypto.ts';
import { CertificateError } from './identity-errors.ts';
import { parseStarUri } from './star-naming.ts';
import { x509 } from './x509.ts';

/** Who a Star certificate says it is. */
export interface StarIdentity {
  readonly starId: string;
  readonly teamId: string;
  /** Lowercase hex SHA-256 of the certificate's DER. */
  readonly fingerprint: string;
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface ParseStarIdentityOptions {
  /** When given, the certificate must be signed by this CA and valid at `now`. */
  readonly caCertificatePem?: string;
  readonly now?: Date;
}

/**
 * Reads the Star id and team from a certificate's SAN URI. Without a CA this only parses (e.g. a
 * certificate TLS already verified); with one it also checks the signature, issuer and validity.
 * Takes PEM (the first block of a chain) or DER, e.g. grpc-js' `sslPeerCertificate.raw`.
 */
export async function parseStarIdentity(
  certificate: string | Uint8Array,
  { caCertificatePem, now = new Date() }: ParseStarIdentityOptions = {},
): Promise<StarIdentity> {
  const parsed = readCertificate(certificate, 'the Star certificate');
  const san = parsed.getExtension(x509.SubjectAlternativeNameExtension);
  const identities = (san?.names.items ?? [])
    .filter((name) => name.type === 'url')
    .map((name) => parseStarUri(name.value))
    .filter((identity) => identity !== undefined);
  const identity = identities[0];
  if (identity === undefined || identities.length > 1) {
    throw new CertificateError(
      'not-a-star',
      `certificate "${parsed.subject}" has ${identities.length === 0 ? 'no' : 'more than one'} spiffe://orbit/team/…/star/… URI in its subjectAltName`,
      { hint: 'use the certificate the Nucleus issued to this Star at enrolment' },
    );
  }
  if (caCertificatePem !== undefined) await requireIssuedBy(parsed, caCertificatePem, now);
  return {
    ...identity,
    fingerprint: await certificateFingerprint(parsed),
    serialNumber: parsed.serialNumber.toLowerCase(),
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
  };
}

export { DEFAULT_RENEWAL_WINDOW_MS, needsRenewal } from './renewal-window.ts';

async function requireIssuedBy(certificate: x509.X509Certificate, caPem: string, now: Date): Promise<void> {
  const ca = readCertificate(caPem, 'the CA certificate');
  const caKey = await ca.publicKey.export(GRID_KEY_ALGORITHM, ['verify']);
  let signedByCa = false;
  try {
    signedByCa =
      certificate.issuer === ca.subject &&
      (await certificate.verify({ publicKey: caKey, signatureOnly: true }));
  } catch {
    signedByCa = false;
  }
  if (!signedByCa) {
    throw new CertificateError(
      'untrusted',
      `certificate "${certificate.subject}" was not issued by this grid's CA`,
      {
        hint: 'the Star belongs to another grid or its certificate was forged; enrol it again with a join token',
      },
    );
  }
  if (now < certificate.notBefore) {
    throw new CertificateError(
      'not-yet-valid',
      `certificate is not valid until ${certificate.notBefore.toISOString()}`,
      {
        hint: "check this machine's clock",
      },
    );
  }
  if (now > certificate.notAfter) {
    throw new CertificateError('expired', `certificate expired at ${certificate.notAfter.toISOString()}`, {
      hint: 'renew before expiry, or enrol the Star again with a new join token',
    });
  }
}

function readCertificate(data: string | Uint8Array, what: string): x509.X509Certificate {
  try {
    // A copy: DER may arrive as a Node Buffer over a shared pool, which WebCrypto typings refuse.
    return new x509.X509Certificate(typeof data === 'string' ? firstPemBlock(data) : new Uint8Array(data));
  } catch (cause) {
    throw new CertificateError('malformed', `${what} is not a valid X.509 certificate (PEM or DER)`, {
      hint: 'pass the PEM text starting with -----BEGIN CERTIFICATE-----',
      cause,
    });
  }
}

function firstPemBlock(text: string): string {
  return /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(text)?.[0] ?? text;
}
