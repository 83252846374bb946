/**
 * `[network] peers` entries: the Stars this one may push to, as a host or host:port. Deno's
 * --allow-net takes the same spellings, so scripts/star.mjs passes them through unchanged.
 */
export interface PeerAddress {
  readonly host: string;
  /** Undefined: any port on that host. */
  readonly port: number | undefined;
  readonly text: string;
}

export const PEERS_KEY = '[network] peers';
export const PEER_HINT =
  'list hosts or host:port, e.g. peers = ["10.0.0.7:7450", "nas2.lan"], or write peers = "any"';

/** Parses `host`, `host:port`, `[v6]` or `[v6]:port`; throws a plain Error with the reason. */
export function parsePeerAddress(text: string): PeerAddress {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(text.trim());
  const host = (match?.[1] ?? match?.[2])?.toLowerCase();
  if (host === undefined || host === '' || host.startsWith('.') || host.endsWith('-')) {
    throw new Error(`"${text}" is not a host or host:port`);
  }
  const port = match?.[3] === undefined ? undefined : Number(match[3]);
  if (port !== undefined && (port < 1 || port > 65_535)) {
    throw new Error(`port in "${text}" must be from 1 to 65535`);
  }
  const shown = host.includes(':') ? `[${host}]` : host;
  return { host, port, text: port === undefined ? shown : `${shown}:${port}` };
}

/** Loopback needs no entry: a Star may always push to another Star on the same machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** True when `peers` (the parsed star.toml setting) admits host:port. */
export function peerAllowed(peers: 'any' | readonly PeerAddress[], host: string, port: number): boolean {
  if (peers === 'any' || isLoopbackHost(host)) return true;
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return peers.some((peer) => peer.host === bare && (peer.port === undefined || peer.port === port));
}
