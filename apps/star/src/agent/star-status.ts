import type { StarConfig } from '../config/star-config-schema.ts';
import { GrpcStatus } from './grid-channel.ts';
import { callRenew, gridChannel, mutualTls } from './grid-clients.ts';
import type { StarCredentials } from './star-credentials.ts';

export interface ConnectionCheck {
  readonly ok: boolean;
  readonly message: string;
}

/**
 * Proves the control port accepts this Star without opening a Session (which would replace the
 * running agent's): Renew with an empty CSR is authenticated first (certificate current, Star not
 * removed) and then refused as INVALID_ARGUMENT, changing nothing.
 */
export async function checkConnection(
  config: StarConfig,
  credentials: StarCredentials,
): Promise<ConnectionCheck> {
  const channel = gridChannel(
    config.hub.address,
    config.hub.serverName,
    mutualTls(credentials.caPem, credentials.keyPem, credentials.chainPem),
  );
  const { error } = await callRenew(channel, { starId: credentials.identity.starId, csrPem: '' }, 10_000);
  channel.close();
  if (error?.code === GrpcStatus.INVALID_ARGUMENT) {
    return { ok: true, message: 'connected: the Nucleus accepts this Star' };
  }
  if (error?.code === GrpcStatus.UNAVAILABLE) {
    return {
      ok: false,
      message: `cannot connect (${error.details}): the Nucleus is down or unreachable, or it refused this certificate (TLS 1.3 cannot tell these apart)`,
    };
  }
  return { ok: false, message: `refused: ${error?.details ?? 'unexpected answer'}` };
}
