import { rename, stat } from 'node:fs/promises';
import type { StarConfig } from '../config/star-config-schema.ts';
import type { StarCredentials } from './star-credentials.ts';

/** Suffix of the key and certificate a renewal writes before moving them into place. */
export const NEXT = '.next';

/** Renews now; the CSR and X.509 code loads only when a renewal is due, not in every idle agent. */
export async function renewCertificate(config: StarConfig, current: StarCredentials): Promise<void> {
  const { renewCertificate: renew } = await import('./renew-certificate.ts');
  await renew(config, current);
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
