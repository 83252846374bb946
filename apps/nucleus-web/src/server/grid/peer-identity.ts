import { certificateFingerprint } from '@orbit/engine/identity/grid-crypto';
import { parseStarUri } from '@orbit/engine/identity/star-naming';
import { x509 } from '@orbit/engine/identity/x509';

/** Who the client certificate of an mTLS call says it is. */
export interface PeerIdentity {
  readonly starId: string;
  readonly teamId: string;
  readonly serialNumber: string;
  readonly fingerprint: string;
}

/**
 * Reads the Star id and team from a peer certificate TLS has already verified against the grid CA
 * (chain, signature and validity). The engine's parseStarIdentity does the same plus those checks;
 * it is not used here because its module does not type-check under this app's DOM lib (reported).
 * Returns undefined for a certificate without exactly one Star URI.
 */
export async function readPeerIdentity(der: Uint8Array): Promise<PeerIdentity | undefined> {
  let certificate: x509.X509Certificate;
  try {
    // A copy on a plain ArrayBuffer: the form the DOM typings of @peculiar/x509 accept.
    certificate = new x509.X509Certificate(new Uint8Array(der));
  } catch {
    return undefined;
  }
  const names = certificate.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
  const stars = names.flatMap((name) => {
    const star = name.type === 'url' ? parseStarUri(name.value) : undefined;
    return star ? [star] : [];
  });
  const [star] = stars;
  if (star === undefined || stars.length !== 1) return undefined;
  return {
    ...star,
    serialNumber: certificate.serialNumber.toLowerCase(),
    fingerprint: await certificateFingerprint(certificate),
  };
}
