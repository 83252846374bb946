import { status } from '@grpc/grpc-js';
import { isOrbitError } from '@orbit/engine/errors';
import { parseStarIdentity, type StarIdentity } from '@orbit/engine/identity/index';
import type { GridServiceContext } from './enrol-star.ts';
import { GridRefusal } from './grid-refusal.ts';

/** The Star behind an mTLS call, as its certificate and its database row agree on it. */
export interface AuthenticatedStar {
  readonly identity: StarIdentity;
  readonly name: string;
  readonly lifecycle: 'registered' | 'scheduled' | 'draining' | 'shutdown';
}

/** What grpc-js exposes of a call's TLS session (the same on unary and streaming calls). */
export interface PeerCall {
  getAuthContext(): { sslPeerCertificate?: { raw?: Buffer } };
}

/**
 * The ports share handlers, so each mTLS-only handler checks the peer certificate itself: issued by
 * this grid's CA, still the current certificate of a Star that has not been removed or shut down.
 * A renewed or re-joined Star's old certificate no longer matches the row and is refused.
 */
export async function authenticateStar(ctx: GridServiceContext, call: PeerCall): Promise<AuthenticatedStar> {
  const raw = call.getAuthContext().sslPeerCertificate?.raw;
  if (!raw) {
    throw new GridRefusal(
      status.UNAUTHENTICATED,
      'this call needs the Star certificate: dial the control port with the key and certificate written by `orbit-star join`',
    );
  }
  const identity = await parseStarIdentity(new Uint8Array(raw), {
    caCertificatePem: ctx.ca.certificatePem,
    now: ctx.now(),
  }).catch((error: unknown) => {
    throw new GridRefusal(
      status.UNAUTHENTICATED,
      isOrbitError(error) ? error.message : 'unreadable certificate',
    );
  });
  const star = await ctx.db.star.findUnique({
    where: { id: identity.starId },
    select: { teamId: true, name: true, lifecycle: true, certSerial: true, certFingerprint: true },
  });
  if (!star || star.teamId !== identity.teamId) {
    throw new GridRefusal(
      status.PERMISSION_DENIED,
      `Star ${identity.starId} was removed from the grid: join it again with a new join token`,
    );
  }
  if (star.certSerial !== identity.serialNumber || star.certFingerprint !== identity.fingerprint) {
    throw new GridRefusal(
      status.PERMISSION_DENIED,
      `certificate ${identity.serialNumber} of Star "${star.name}" was replaced or revoked: use the newest certificate, or join again`,
    );
  }
  if (star.lifecycle === 'shutdown') {
    throw new GridRefusal(status.PERMISSION_DENIED, `Star "${star.name}" is shut down and may not connect`);
  }
  return { identity, name: star.name, lifecycle: star.lifecycle };
}
