import { parseHostPort } from '../config/host-port.ts';
import { PEER_HINT, PEERS_KEY, type PeerAddress, peerAllowed } from '../config/peer-address.ts';
import { CommandRefusal } from './command-error.ts';

/** The slice of Deno's permission API this check reads; absent when the Star code runs under Node. */
interface NetPermissions {
  querySync(descriptor: { name: 'net'; host: string }): { state: string };
}
const permissions = (globalThis as { Deno?: { permissions?: NetPermissions } }).Deno?.permissions;

/**
 * Refuses a push to a peer that star.toml's `[network] peers` does not list, or that this Deno
 * process may not dial (star.toml edited, Star not restarted), before any connection is tried:
 * Deno would otherwise fail every attempt with NotCapable and the push would retry in vain.
 */
export function requirePeerAccess(peers: 'any' | readonly PeerAddress[], peerAddress: string): void {
  let host: string;
  let port: number;
  try {
    ({ host, port } = parseHostPort(peerAddress));
  } catch (error) {
    throw new CommandRefusal(
      'ERROR_CODE_INVALID_ARGUMENT',
      `the receiving Star's address is not host:port: ${(error as Error).message}`,
    );
  }
  const where = peerAddress.trim();
  if (!peerAllowed(peers, host, port)) {
    throw new CommandRefusal(
      'ERROR_CODE_PERMISSION_DENIED',
      `this Star may not push to ${where}: it is not in ${PEERS_KEY} of this Star's star.toml`,
      `add "${where}" (or its host) to ${PEERS_KEY} and restart orbit-star serve; ${PEER_HINT}`,
    );
  }
  const state = permissions?.querySync({ name: 'net', host: where }).state;
  if (state !== undefined && state !== 'granted') {
    throw new CommandRefusal(
      'ERROR_CODE_PERMISSION_DENIED',
      `this Star's process was started without network access to ${where} (Deno --allow-net)`,
      `restart orbit-star serve so scripts/star.mjs reads ${PEERS_KEY} from star.toml again`,
    );
  }
}
