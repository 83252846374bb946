// Grid identity on WebCrypto + @peculiar/x509; runs unchanged in Node and Deno. The flow:
//   Nucleus, once: createGridCa → exportGridCa (store) / importGridCa (load); issueServerCertificate for gRPC.
//   Star, per join: generateGridKeys → createCsr → Enrolment.Join → Nucleus issueStarCertificate.
//   Nucleus, per connection: parseStarIdentity(peer certificate) → star and team id; needsRenewal → Renew.
//   Per transfer: Nucleus signTicket(claims, ca.privateKey); the receiving end verifyTicket(ticket, caPem, …).
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
