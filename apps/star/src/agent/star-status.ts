import { type ServiceError, status } from '@grpc/grpc-js';
import type { StarConfig } from '../config/star-config-schema.ts';
import { enrolmentClient, mutualTls } from './grid-clients.ts';
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
  const client = enrolmentClient(
    config.hub.address,
    config.hub.serverName,
    mutualTls(credentials.caPem, credentials.keyPem, credentials.chainPem),
  );
  const error = await new Promise<ServiceError | null>((resolve) => {
    client.Renew(
      { starId: credentials.identity.starId, csrPem: '' },
      { deadline: Date.now() + 10_000 },
      (failure: ServiceError | null) => {
        client.close();
        resolve(failure);
      },
    );
  });
  if (error?.code === status.INVALID_ARGUMENT) {
    return { ok: true, message: 'connected: the Nucleus accepts this Star' };
  }
  if (error?.code === status.UNAVAILABLE) {
    return {
      ok: false,
      message: `cannot connect (${error.details}): the Nucleus is down or unreachable, or it refused this certificate (TLS 1.3 cannot tell these apart)`,
    };
  }
  return { ok: false, message: `refused: ${error?.details ?? 'unexpected answer'}` };
}
