import { OrbitError } from '../errors.ts';

/**
 * Star and team ids go into a SPIFFE-style URI and a DNS label, so they are limited to what both
 * accept unescaped: letters, digits and hyphens, at most 63 characters (UUIDs and cuids fit).
 */
const ID_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** The DNS suffix under which every Star's certificate carries `<starId>.star.orbit.local`. */
export const STAR_DNS_SUFFIX = 'star.orbit.local';
/** The name every Nucleus server certificate carries; Stars dial it via grpc.ssl_target_name_override. */
export const NUCLEUS_DNS_NAME = 'nucleus.orbit.local';

export function requireGridId(value: string, keyPath: string): string {
  if (!ID_PATTERN.test(value)) {
    throw new OrbitError('INVALID_ARGUMENT', `${keyPath} "${value}" is not a valid grid id`, {
      keyPath,
      hint: 'use 1–63 letters, digits or hyphens, not starting or ending with a hyphen (a UUID or cuid fits)',
    });
  }
  return value;
}

/** `spiffe://orbit/team/<teamId>/star/<starId>`: the identity the Nucleus and peers trust. */
export function starUri(teamId: string, starId: string): string {
  return `spiffe://orbit/team/${requireGridId(teamId, 'teamId')}/star/${requireGridId(starId, 'starId')}`;
}

export function parseStarUri(uri: string): { teamId: string; starId: string } | undefined {
  const match = /^spiffe:\/\/orbit\/team\/([^/]+)\/star\/([^/]+)$/.exec(uri);
  const teamId = match?.[1];
  const starId = match?.[2];
  if (teamId === undefined || starId === undefined) return undefined;
  if (!ID_PATTERN.test(teamId) || !ID_PATTERN.test(starId)) return undefined;
  return { teamId, starId };
}

export function starDnsName(starId: string): string {
  return `${requireGridId(starId, 'starId').toLowerCase()}.${STAR_DNS_SUFFIX}`;
}

/** A DNS name as certificates need it: labels of letters, digits and hyphens, or a leading `*.` wildcard. */
export function requireDnsName(name: string, keyPath: string): string {
  const label = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
  const labels = name.startsWith('*.') ? name.slice(2).split('.') : name.split('.');
  if (name.length > 253 || labels.some((part) => !label.test(part))) {
    throw new OrbitError('INVALID_ARGUMENT', `${keyPath} "${name}" is not a valid DNS name`, {
      keyPath,
      hint: 'use a host name such as "nucleus.example.com" (IP addresses go in ipAddresses)',
    });
  }
  return name.toLowerCase();
}
