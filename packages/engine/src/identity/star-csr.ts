import { OrbitError } from '../errors.ts';
import { type CryptoKeyPair, GRID_KEY_ALGORITHM, GRID_SIGNING_ALGORITHM } from './grid-crypto.ts';
import { x509 } from './x509.ts';

export interface CreateCsrInput {
  /** The Star's human name (star.toml `[star] name`); goes into the CSR subject. */
  readonly starName: string;
  /** A key pair made for this join with generateGridKeys(); never reused across joins. */
  readonly keys: CryptoKeyPair;
}

/** What a Star may call itself; a join token bound to a name must use the same rule. */
export const STAR_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;

/** Builds the PKCS#10 request a Star sends with Enrolment.Join or Renew. */
export async function createCsr({ starName, keys }: CreateCsrInput): Promise<string> {
  requireStarName(starName);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [starName] }],
    keys,
    signingAlgorithm: GRID_SIGNING_ALGORITHM,
  });
  return csr.toString('pem');
}

export function requireStarName(starName: string): string {
  if (!STAR_NAME_PATTERN.test(starName)) {
    throw new OrbitError('INVALID_ARGUMENT', `star name "${starName}" is not allowed`, {
      keyPath: 'star.name',
      hint: 'use 1–63 letters, digits, spaces, dots, underscores or hyphens, starting with a letter or digit',
    });
  }
  return starName;
}

export interface VerifiedCsr {
  readonly starName: string;
  readonly publicKey: x509.PublicKey;
}

/** Parses a CSR and checks its self-signature and key type: proof the requester holds the key. */
export async function verifyCsr(csrPem: string): Promise<VerifiedCsr> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch (cause) {
    throw new OrbitError('INVALID_ARGUMENT', 'the CSR is not a valid PKCS#10 request', {
      keyPath: 'csr_pem',
      hint: 'send the PEM text from createCsr(), starting with -----BEGIN CERTIFICATE REQUEST-----',
      cause,
    });
  }
  const algorithm = csr.publicKey.algorithm as { name?: string; namedCurve?: string };
  if (algorithm.name !== GRID_KEY_ALGORITHM.name || algorithm.namedCurve !== GRID_KEY_ALGORITHM.namedCurve) {
    throw new OrbitError(
      'INVALID_ARGUMENT',
      `the CSR key is ${algorithm.name ?? 'unknown'} ${algorithm.namedCurve ?? ''}, not ECDSA P-256`.trim(),
      {
        keyPath: 'csr_pem',
        hint: 'generate the Star key with generateGridKeys() (ECDSA P-256)',
      },
    );
  }
  let valid = false;
  try {
    valid = await csr.verify();
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new OrbitError('INVALID_ARGUMENT', 'the CSR signature does not verify against its own public key', {
      keyPath: 'csr_pem',
      hint: 'the request was altered or signed with another key; create a new one with createCsr()',
    });
  }
  const starName = csr.subjectName.getField('CN')[0] ?? '';
  return { starName: requireStarName(starName), publicKey: csr.publicKey };
}
