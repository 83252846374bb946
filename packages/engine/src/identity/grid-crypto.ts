import type { webcrypto } from 'node:crypto';
import { OrbitError } from '../errors.ts';
import { x509 } from './x509.ts';

/** WebCrypto key types, spelled through node:crypto's types; at runtime this is globalThis.crypto (Node and Deno). */
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** Every grid key is ECDSA P-256: small, fast, accepted by OpenSSL, grpc-js, Node and Deno TLS. */
export const GRID_KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const GRID_SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** A fresh extractable key pair (the Star writes its private key to its state directory). */
export async function generateGridKeys(): Promise<CryptoKeyPair> {
  return globalThis.crypto.subtle.generateKey(GRID_KEY_ALGORITHM, true, ['sign', 'verify']);
}

/** PKCS#8 PEM (`BEGIN PRIVATE KEY`), the form grpc-js, node:tls and OpenSSL read. */
export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  const der = await globalThis.crypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Reads a PKCS#8 PEM ECDSA P-256 private key for signing. */
export async function importPrivateKeyPem(pem: string, where = 'private key'): Promise<CryptoKey> {
  const der = decodeSinglePem(pem, 'PRIVATE KEY', where);
  try {
    return await globalThis.crypto.subtle.importKey('pkcs8', der, GRID_KEY_ALGORITHM, true, ['sign']);
  } catch (cause) {
    throw new OrbitError('INVALID_ARGUMENT', `${where} is not an ECDSA P-256 PKCS#8 key`, {
      hint: 'grid keys are ECDSA P-256; create them with generateGridKeys() or `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`',
      cause,
    });
  }
}

/** SPKI PEM (`BEGIN PUBLIC KEY`). */
export async function exportPublicKeyPem(key: CryptoKey): Promise<string> {
  const der = await globalThis.crypto.subtle.exportKey('spki', key);
  return x509.PemConverter.encode(der, 'PUBLIC KEY');
}

/** Parses one PEM certificate, with an error that names where it came from. */
export function parseCertificatePem(pem: string, where = 'certificate'): x509.X509Certificate {
  const der = decodeSinglePem(pem, 'CERTIFICATE', where);
  try {
    return new x509.X509Certificate(der);
  } catch (cause) {
    throw new OrbitError('INVALID_ARGUMENT', `${where} is not a valid X.509 certificate`, {
      hint: 'pass the PEM text starting with -----BEGIN CERTIFICATE-----',
      cause,
    });
  }
}

/** Lowercase hex SHA-256 of a certificate's DER: the fingerprint peers pin. */
export async function certificateFingerprint(certificate: x509.X509Certificate): Promise<string> {
  return toHex(await certificate.getThumbprint('SHA-256'));
}

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return Array.from(view, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A random positive serial of 16 bytes (RFC 5280 allows up to 20), hex. */
export function randomSerialNumber(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  // Clearing the top bit keeps the DER INTEGER positive without a padding byte.
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return toHex(bytes);
}

function decodeSinglePem(pem: string, tag: string, where: string): ArrayBuffer {
  const blocks =
    typeof pem === 'string' ? pem.match(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g) : null;
  const first = blocks?.[0];
  if (first === undefined || !first.startsWith(`-----BEGIN ${tag}-----`)) {
    throw new OrbitError('INVALID_ARGUMENT', `${where} is not PEM text with a ${tag} block`, {
      hint: `expected text starting with -----BEGIN ${tag}-----`,
    });
  }
  try {
    const [der] = x509.PemConverter.decode(first);
    if (der === undefined) throw new Error('empty PEM block');
    return der;
  } catch (cause) {
    throw new OrbitError('INVALID_ARGUMENT', `${where}: the ${tag} PEM block is not valid base64`, {
      hint: 'copy the whole block again, including the BEGIN and END lines',
      cause,
    });
  }
}
