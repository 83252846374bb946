import type { JoinRequest, RenewRequest } from '@orbit/proto';
import type { HostPort } from '../config/host-port.ts';
import { GridChannel, type GridTls } from './grid-channel.ts';

/** Metadata keys shared with the Nucleus grid server (apps/nucleus-web/src/server/grid). */
export const GRID_CA_METADATA_KEY = 'orbit-grid-ca-bin';
export const CONTROL_PORT_METADATA_KEY = 'orbit-control-port';
export const ALLOWED_PATHS_METADATA_KEY = 'orbit-allowed-paths';

const JOIN_DEADLINE_MS = 30_000;

/** A connection to the Nucleus, enrolment or control port. */
export function gridChannel(address: HostPort, serverName: string, tls: GridTls): GridChannel {
  return new GridChannel(address, serverName, tls);
}

/** TLS whose server certificate is not checked: only to fetch the CA, which is then checked against the pin. */
export const UNVERIFIED_TLS: GridTls = { verify: false };

/** TLS trusting only the grid CA, without a client certificate (join, once the CA matched the pin). */
export function serverOnlyTls(caPem: string): GridTls {
  return { caPem, verify: true };
}

/** Mutual TLS with the Star's key and certificate, trusting only the grid CA. */
export function mutualTls(caPem: string, keyPem: string, chainPem: string): GridTls {
  return { caPem, keyPem, chainPem, verify: true };
}

export function callJoin(
  channel: GridChannel,
  request: JoinRequest,
  metadata: Readonly<Record<string, string>>,
) {
  return channel.unary('/orbit.v1.Enrolment/Join', ['JoinRequest', 'JoinResponse'] as const, request, {
    metadata,
    deadlineMs: JOIN_DEADLINE_MS,
  });
}

export function callRenew(channel: GridChannel, request: RenewRequest, deadlineMs: number) {
  return channel.unary('/orbit.v1.Enrolment/Renew', ['RenewRequest', 'RenewResponse'] as const, request, {
    deadlineMs,
  });
}

/** The Star's one long-lived Session: StarMessage up, NucleusMessage down. */
export function openSession(channel: GridChannel) {
  return channel.stream('/orbit.v1.StarControl/Session', ['StarMessage', 'NucleusMessage'] as const);
}
