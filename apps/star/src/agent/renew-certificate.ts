import { OrbitError } from '@orbit/engine/errors';
import { writePrivateFile } from '@orbit/engine/files/private-file';
import {
  createCsr,
  exportPrivateKeyPem,
  generateGridKeys,
  parseStarIdentity,
} from '@orbit/engine/identity/index';
import type { StarConfig } from '../config/star-config-schema.ts';
import { completePendingRenewal, NEXT } from './certificate-renewal.ts';
import { callRenew, gridChannel, mutualTls } from './grid-clients.ts';
import type { StarCredentials } from './star-credentials.ts';

/**
 * Asks the Nucleus for a fresh certificate over mTLS with the current one. The new key and
 * certificate are written as `.next` files first, then renamed key-then-certificate; a crash in
 * between is finished by `completePendingRenewal` on the next start, so the pair never mismatches.
 */
export async function renewCertificate(config: StarConfig, current: StarCredentials): Promise<void> {
  const keys = await generateGridKeys();
  const csrPem = await createCsr({ starName: config.star.name, keys });
  const channel = gridChannel(
    config.hub.address,
    config.hub.serverName,
    mutualTls(current.caPem, current.keyPem, current.chainPem),
  );
  const { response, error } = await callRenew(channel, { starId: current.identity.starId, csrPem }, 30_000);
  channel.close();
  if (!response) {
    throw new OrbitError('IO', `certificate renewal failed: ${error?.details ?? 'no answer'}`, {
      hint: 'the Star keeps its current certificate and retries; if it expires, join again with a new token',
      cause: error,
    });
  }
  const renewed = await parseStarIdentity(response.certificateChainPem, { caCertificatePem: current.caPem });
  if (renewed.starId !== current.identity.starId) {
    throw new OrbitError(
      'CORRUPT',
      `the renewed certificate is for Star ${renewed.starId}, not ${current.identity.starId}`,
    );
  }
  await writePrivateFile(`${config.star.keyFile}${NEXT}`, await exportPrivateKeyPem(keys.privateKey));
  await writePrivateFile(`${config.star.certFile}${NEXT}`, response.certificateChainPem);
  await completePendingRenewal(config);
}
