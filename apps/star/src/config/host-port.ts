/** `host:port` as star.toml writes addresses; IPv6 hosts go in brackets: `[::1]:7450`. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export const HOST_PORT_HINT =
  'write host:port, e.g. "nucleus.example.com:7443", "10.0.0.5:7450" or "[::1]:7450"';

/** Parses `host:port`; throws a plain Error with the reason. `allowPortZero` is for listen addresses. */
export function parseHostPort(text: string, allowPortZero = false): HostPort {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (host === undefined || host === '' || host.startsWith('.') || host.endsWith('-')) {
    throw new Error(`"${text}" is not host:port`);
  }
  if (!Number.isInteger(port) || port > 65_535 || (port === 0 && !allowPortZero)) {
    throw new Error(`port in "${text}" must be from 1 to 65535`);
  }
  return { host, port };
}

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Wildcard listen hosts cannot be dialled, so they need an explicit advertise address. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}
