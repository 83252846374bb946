// Grid identity: the CA, Star CSRs and certificates, server certificates, and data-plane tickets.
export * from './certificate-issuer.ts';
export * from './data-plane-ticket.ts';
export {
  type CreateGridCaInput,
  createGridCa,
  exportGridCa,
  type GridCa,
  type GridCaPem,
  importGridCa,
} from './grid-ca.ts';
export {
  type CryptoKey,
  type CryptoKeyPair,
  certificateFingerprint,
  exportPrivateKeyPem,
  exportPublicKeyPem,
  generateGridKeys,
  importPrivateKeyPem,
  parseCertificatePem,
} from './grid-crypto.ts';
export * from './identity-errors.ts';
export * from './star-csr.ts';
export * from './star-identity.ts';
export { NUCLEUS_DNS_NAME, parseStarUri, STAR_DNS_SUFFIX, starDnsName, starUri } from './star-naming.ts';
