import { OrbitError } from '../errors.ts';
import { DAY_MS, type GridCa, requirePositiveDays } from './grid-ca.ts';
import {
  certificateFingerprint,
  exportPrivateKeyPem,
  GRID_SIGNING_ALGORITHM,
  generateGridKeys,
  randomSerialNumber,
} from './grid-crypto.ts';
import { verifyCsr } from './star-csr.ts';
import { NUCLEUS_DNS_NAME, requireDnsName, requireGridId, starDnsName, starUri } from './star-naming.ts';
import { x509 } from './x509.ts';

/** A certificate the CA just signed, in the forms its holder and the Nucleus' records need. */
export interface IssuedCertificate {
  /** The leaf certificate alone. */
  readonly certificatePem: string;
  /** The leaf followed by the CA certificate: what a TLS endpoint presents. */
  readonly chainPem: string;
  /** Lowercase hex SHA-256 of the leaf's DER. */
  readonly fingerprint: string;
  /** Lowercase hex serial number. */
  readonly serialNumber: string;
  readonly notAfter: Date;
}

export interface IssueStarCertificateInput {
  readonly ca: GridCa;
  readonly csrPem: string;
  readonly starId: string;
  readonly teamId: string;
  readonly validityDays: number;
  /** Extra DNS names for the Star's data-plane endpoint (its advertise address). */
  readonly dnsNames?: readonly string[];
  readonly now?: Date;
}

/**
 * Signs a Star's CSR after checking its self-signature. The Star's identity goes only into the SAN
 * (URI `spiffe://orbit/team/<team>/star/<star>` and DNS `<star>.star.orbit.local`); the requester
 * chooses nothing but its key and display name.
 */
export async function issueStarCertificate(input: IssueStarCertificateInput): Promise<IssuedCertificate> {
  const { ca, csrPem, starId, teamId, validityDays, dnsNames = [], now = new Date() } = input;
  requireGridId(starId, 'starId');
  requireGridId(teamId, 'teamId');
  const csr = await verifyCsr(csrPem);
  const names: x509.JsonGeneralName[] = [
    { type: 'url', value: starUri(teamId, starId) },
    { type: 'dns', value: starDnsName(starId) },
    ...dnsNames.map((name, index) => ({
      type: 'dns' as const,
      value: requireDnsName(name, `dnsNames[${index}]`),
    })),
  ];
  return signLeaf({
    ca,
    publicKey: csr.publicKey,
    subject: [{ CN: [starId] }, { O: [`Orbit team ${teamId}`] }, { OU: [csr.starName] }],
    names,
    // Stars are TLS clients to the Nucleus and servers on the data plane.
    usages: [x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.serverAuth],
    validityDays,
    now,
  });
}

export interface IssueServerCertificateInput {
  readonly ca: GridCa;
  readonly validityDays: number;
  /** Host names clients may dial besides `nucleus.orbit.local`. */
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly now?: Date;
}

export interface IssuedServerCertificate extends IssuedCertificate {
  /** PKCS#8 PEM of the key generated for this certificate. */
  readonly privateKeyPem: string;
}

/** A certificate and fresh key for the Nucleus' own gRPC endpoint. */
export async function issueServerCertificate(
  input: IssueServerCertificateInput,
): Promise<IssuedServerCertificate> {
  const { ca, validityDays, dnsNames = [], ipAddresses = [], now = new Date() } = input;
  const keys = await generateGridKeys();
  const names: x509.JsonGeneralName[] = [
    { type: 'dns', value: NUCLEUS_DNS_NAME },
    ...dnsNames
      .map((name, index) => requireDnsName(name, `dnsNames[${index}]`))
      .filter((name) => name !== NUCLEUS_DNS_NAME)
      .map((value) => ({ type: 'dns' as const, value })),
    ...ipAddresses.map((value, index) => ({ type: 'ip' as const, value: requireIpAddress(value, index) })),
  ];
  const issued = await signLeaf({
    ca,
    publicKey: await x509.PublicKey.create(keys.publicKey),
    subject: [{ CN: [NUCLEUS_DNS_NAME] }, { O: ['Orbit'] }],
    names,
    usages: [x509.ExtendedKeyUsage.serverAuth],
    validityDays,
    now,
  });
  return { ...issued, privateKeyPem: await exportPrivateKeyPem(keys.privateKey) };
}

interface LeafInput {
  readonly ca: GridCa;
  readonly publicKey: x509.PublicKey;
  readonly subject: x509.JsonName;
  readonly names: x509.JsonGeneralName[];
  readonly usages: x509.ExtendedKeyUsageType[];
  readonly validityDays: number;
  readonly now: Date;
}

async function signLeaf({
  ca,
  publicKey,
  subject,
  names,
  usages,
  validityDays,
  now,
}: LeafInput): Promise<IssuedCertificate> {
  requirePositiveDays(validityDays, 'validityDays');
  const requested = now.getTime() + validityDays * DAY_MS;
  // A leaf never outlives its CA: peers would reject the chain after the CA expires anyway.
  const notAfter = new Date(Math.min(requested, ca.certificate.notAfter.getTime()));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject,
    issuer: ca.certificate.subjectName.toJSON(),
    notBefore: new Date(now.getTime() - 60_000),
    notAfter,
    signingAlgorithm: GRID_SIGNING_ALGORITHM,
    publicKey,
    signingKey: ca.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(usages, false),
      new x509.SubjectAlternativeNameExtension(names, false),
      await x509.AuthorityKeyIdentifierExtension.create(ca.publicKey, false),
      await x509.SubjectKeyIdentifierExtension.create(publicKey, false),
    ],
  });
  const certificatePem = certificate.toString('pem');
  return {
    certificatePem,
    chainPem: `${certificatePem}\n${ca.certificatePem}\n`,
    fingerprint: await certificateFingerprint(certificate),
    serialNumber: certificate.serialNumber.toLowerCase(),
    notAfter: certificate.notAfter,
  };
}

function requireIpAddress(value: string, index: number): string {
  const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
  if (ipv4.test(value) || (value.includes(':') && /^[0-9a-fA-F:.]+$/.test(value))) return value;
  throw new OrbitError('INVALID_ARGUMENT', `ipAddresses[${index}] "${value}" is not an IP address`, {
    keyPath: `ipAddresses[${index}]`,
    hint: 'use dotted IPv4 such as "10.0.0.5" or IPv6 such as "::1"',
  });
}
