import { type ChannelCredentials, type ChannelOptions, credentials, type ServiceError } from '@grpc/grpc-js';
import { type EnrolmentClient, loadOrbitProto, type StarControlClient } from '@orbit/proto';
import { formatHostPort, type HostPort } from '../config/host-port.ts';

/** Metadata keys shared with the Nucleus grid server (apps/nucleus-web/src/server/grid). */
export const GRID_CA_METADATA_KEY = 'orbit-grid-ca-bin';
export const CONTROL_PORT_METADATA_KEY = 'orbit-control-port';
export const ALLOWED_PATHS_METADATA_KEY = 'orbit-allowed-paths';

let proto: ReturnType<typeof loadOrbitProto>['orbit']['v1'] | undefined;
function orbitV1() {
  proto ??= loadOrbitProto().orbit.v1;
  return proto;
}

/**
 * Deno refuses an IP address as a TLS server name, so every dial names the DNS name in the
 * Nucleus certificate (`nucleus.orbit.local` unless configured) whatever address it connects to.
 */
function channelOptions(serverName: string): ChannelOptions {
  return {
    'grpc.ssl_target_name_override': serverName,
    'grpc.default_authority': serverName,
    'grpc.keepalive_time_ms': 20_000,
    'grpc.keepalive_timeout_ms': 10_000,
  };
}

/**
 * TLS whose server certificate is not checked: only to fetch the CA, which is then checked against
 * the pin. The throwaway root stops grpc-js from reading the system store (outside the Star's permissions).
 */
export async function unverifiedEnrolmentClient(
  address: HostPort,
  serverName: string,
): Promise<EnrolmentClient> {
  // Imported here: only join needs it, and the X.509 library would stay resident in `serve`.
  const { createGridCa } = await import('@orbit/engine/identity/grid-ca');
  const placeholder = await createGridCa({ commonName: 'Orbit unverified discovery', validityDays: 1 });
  const tls = credentials.createSsl(Buffer.from(placeholder.certificatePem), null, null, {
    rejectUnauthorized: false,
  });
  return new (orbitV1().Enrolment)(formatHostPort(address), tls, channelOptions(serverName));
}

export function enrolmentClient(
  address: HostPort,
  serverName: string,
  tls: ChannelCredentials,
): EnrolmentClient {
  return new (orbitV1().Enrolment)(formatHostPort(address), tls, channelOptions(serverName));
}

export function controlClient(
  address: HostPort,
  serverName: string,
  tls: ChannelCredentials,
): StarControlClient {
  return new (orbitV1().StarControl)(formatHostPort(address), tls, channelOptions(serverName));
}

/** Mutual TLS with the Star's key and certificate, trusting only the grid CA. */
export function mutualTls(caPem: string, keyPem: string, chainPem: string): ChannelCredentials {
  return credentials.createSsl(Buffer.from(caPem), Buffer.from(keyPem), Buffer.from(chainPem));
}

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && 'code' in error && typeof error.code === 'number' && 'details' in error;
}
