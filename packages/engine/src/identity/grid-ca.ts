import { OrbitError } from '../errors.ts';
import {
  type CryptoKey,
  exportPrivateKeyPem,
  GRID_SIGNING_ALGORITHM,
  generateGridKeys,
  importPrivateKeyPem,
  parseCertificatePem,
  randomSerialNumber,
} from './grid-crypto.ts';
import { x509 } from './x509.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The grid's certificate authority as the Nucleus holds it in memory. */
export interface GridCa {
  readonly certificate: x509.X509Certificate;
  readonly certificatePem: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

/** The CA as stored on disk or in the database: two PEM strings. */
export interface GridCaPem {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface CreateGridCaInput {
  readonly commonName: string;
  readonly validityDays: number;
  /** The clock, for tests; defaults to now. */
  readonly now?: Date;
}

/** Creates a self-signed ECDSA P-256 CA that may only sign end-entity certificates (path length 0). */
export async function createGridCa({
  commonName,
  validityDays,
  now = new Date(),
}: CreateGridCaInput): Promise<GridCa> {
  requirePositiveDays(validityDays, 'validityDays');
  if (commonName.trim() === '' || /[,=+<>#;\\"]/.test(commonName)) {
    throw new OrbitError(
      'INVALID_ARGUMENT',
      `CA common name "${commonName}" is empty or contains , = + < > # ; \\ or "`,
      {
        keyPath: 'commonName',
        hint: 'use plain words, e.g. "Orbit grid CA (acme)"',
      },
    );
  }
  const keys = await generateGridKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: [{ CN: [commonName] }, { O: ['Orbit'] }],
    // Backdated a minute so a peer whose clock runs slightly behind still accepts it.
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + validityDays * DAY_MS),
    signingAlgorithm: GRID_SIGNING_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certificate,
    certificatePem: certificate.toString('pem'),
    privateKey: keys.privateKey,
    publicKey: keys.publicKey,
  };
}

export async function exportGridCa(ca: GridCa): Promise<GridCaPem> {
  return { certificatePem: ca.certificatePem, privateKeyPem: await exportPrivateKeyPem(ca.privateKey) };
}

/** Loads a stored CA and checks that the key belongs to the certificate and the certificate is a CA. */
export async function importGridCa({ certificatePem, privateKeyPem }: GridCaPem): Promise<GridCa> {
  const certificate = parseCertificatePem(certificatePem, 'CA certificate');
  const constraints = certificate.getExtension(x509.BasicConstraintsExtension);
  if (!constraints?.ca) {
    throw new OrbitError('INVALID_ARGUMENT', 'the CA certificate is not a CA (basicConstraints CA:FALSE)', {
      hint: 'pass the grid CA certificate created by createGridCa, not a Star or server certificate',
    });
  }
  const privateKey = await importPrivateKeyPem(privateKeyPem, 'CA private key');
  const publicKey = await certificate.publicKey.export(
    { name: 'ECDSA', namedCurve: 'P-256' },
    ['verify'],
    globalThis.crypto,
  );
  // A key that signs something the certificate's public key accepts is the certificate's key.
  const probe = new TextEncoder().encode('orbit-grid-ca-key-check');
  const signature = await globalThis.crypto.subtle.sign(GRID_SIGNING_ALGORITHM, privateKey, probe);
  if (!(await globalThis.crypto.subtle.verify(GRID_SIGNING_ALGORITHM, publicKey, signature, probe))) {
    throw new OrbitError('INVALID_ARGUMENT', 'the CA private key does not belong to the CA certificate', {
      hint: 'store the key and certificate from the same createGridCa call together',
    });
  }
  return { certificate, certificatePem: certificate.toString('pem'), privateKey, publicKey };
}

export function requirePositiveDays(days: number, keyPath: string): void {
  if (!Number.isInteger(days) || days <= 0 || days > 36_500) {
    throw new OrbitError(
      'INVALID_ARGUMENT',
      `${keyPath} must be a whole number of days from 1 to 36500, got ${days}`,
      {
        keyPath,
      },
    );
  }
}

export { DAY_MS };
