import { OrbitError } from '@orbit/engine/errors';
import { parseStarIdentity, type StarIdentity } from '@orbit/engine/identity/index';
import type { StarConfig } from '../config/star-config-schema.ts';
import { readCredential } from './session-credentials.ts';

/** The Star's TLS identity as star.toml points at it: key, certificate chain and the grid CA. */
export interface StarCredentials {
  readonly keyPem: string;
  readonly chainPem: string;
  readonly caPem: string;
  readonly identity: StarIdentity;
}

/** Reads and checks the credentials: the certificate must come from the pinned CA. */
export async function loadStarCredentials(config: StarConfig, now = new Date()): Promise<StarCredentials> {
  const [keyPem, chainPem, caPem] = await Promise.all([
    readCredential(config.star.keyFile, 'private key'),
    readCredential(config.star.certFile, 'certificate'),
    readCredential(config.hub.caCert, 'grid CA certificate'),
  ]);
  const identity = await parseStarIdentity(chainPem, { caCertificatePem: caPem, now }).catch(
    (error: unknown) => {
      if (error instanceof OrbitError) {
        throw new OrbitError('INVALID_ARGUMENT', error.message, {
          path: config.star.certFile,
          hint: error.hint ?? 'join the Star again with a new join token',
        });
      }
      throw error;
    },
  );
  return { keyPem, chainPem, caPem, identity };
}
