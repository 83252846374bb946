import { status } from '@grpc/grpc-js';
import type { GridServiceContext } from './enrol-star.ts';
import { GridRefusal } from './grid-refusal.ts';
import { type PeerIdentity, readPeerIdentity } from './peer-identity.ts';

/** The Star behind an mTLS call, as its certificate and its database row agree on it. */
export interface AuthenticatedStar {
  readonly identity: PeerIdentity;
  readonly name: string;
  readonly lifecycle: 'registered' | 'scheduled' | 'draining' | 'shutdown';
}

/** What grpc-js exposes of a call's TLS session (the same on unary and streaming calls). */
export interface PeerCall {
  getAuthContext(): { sslPeerCertificate?: { raw?: Buffer } };
}

/**
 * Each mTLS handler checks the peer certificate itself (Join shares the handler set): a Star
 * certificate, still the current one of a Star that has not been removed or shut down.
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
  // The control port's TLS already checked the chain against the grid CA, its signature and validity.
  const identity = await readPeerIdentity(new Uint8Array(raw));
  if (!identity) {
    throw new GridRefusal(
      status.UNAUTHENTICATED,
      'the client certificate is not an Orbit Star certificate: use the one `orbit-star join` wrote',
    );
  }
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
