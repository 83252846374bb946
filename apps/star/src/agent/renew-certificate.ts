import { rename, stat } from 'node:fs/promises';
import type { ServiceError } from '@grpc/grpc-js';
import { OrbitError } from '@orbit/engine/errors';
import {
  createCsr,
  exportPrivateKeyPem,
  generateGridKeys,
  parseStarIdentity,
} from '@orbit/engine/identity/index';
import type { RenewResponse__Output } from '@orbit/proto';
import type { StarConfig } from '../config/star-config-schema.ts';
import { enrolmentClient, mutualTls } from './grid-clients.ts';
import { type StarCredentials, writePrivateFile } from './star-credentials.ts';

const NEXT = '.next';

/**
 * Asks the Nucleus for a fresh certificate over mTLS with the current one. The new key and
 * certificate are written as `.next` files first, then renamed key-then-certificate; a crash in
 * between is finished by `completePendingRenewal` on the next start, so the pair never mismatches.
 */
export async function renewCertificate(config: StarConfig, current: StarCredentials): Promise<void> {
  const keys = await generateGridKeys();
  const csrPem = await createCsr({ starName: config.star.name, keys });
  const client = enrolmentClient(
    config.hub.address,
    config.hub.serverName,
    mutualTls(current.caPem, current.keyPem, current.chainPem),
  );
  const response = await new Promise<RenewResponse__Output>((resolve, reject) => {
    client.Renew(
      { starId: current.identity.starId, csrPem },
      { deadline: Date.now() + 30_000 },
      (error: ServiceError | null, answer?: RenewResponse__Output) => {
        client.close();
        if (error || !answer) reject(error ?? new Error('no answer'));
        else resolve(answer);
      },
    );
  }).catch((error: unknown) => {
    const details = (error as ServiceError).details ?? (error as Error).message;
    throw new OrbitError('IO', `certificate renewal failed: ${details}`, {
      hint: 'the Star keeps its current certificate and retries; if it expires, join again with a new token',
      cause: error,
    });
  });
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

/** Moves `.next` files into place: the key first, so a lone certificate `.next` means the key already moved. */
export async function completePendingRenewal(config: StarConfig): Promise<void> {
  const exists = (file: string) =>
    stat(file).then(
      () => true,
      () => false,
    );
  const keyNext = `${config.star.keyFile}${NEXT}`;
  const certNext = `${config.star.certFile}${NEXT}`;
  const [hasKey, hasCert] = await Promise.all([exists(keyNext), exists(certNext)]);
  if (hasKey && !hasCert) {
    // The certificate never arrived on disk: the new key is useless, keep the old pair.
    await rename(keyNext, `${keyNext}.abandoned`);
    return;
  }
  if (hasKey) await rename(keyNext, config.star.keyFile);
  if (hasCert) await rename(certNext, config.star.certFile);
}
