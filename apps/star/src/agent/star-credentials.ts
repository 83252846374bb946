import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
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

/**
 * Writes a secret (key, certificate) with mode 0600: temporary file, synced, renamed over the old
 * one, so a crash leaves the old credential or the new one, never half of either.
 */
export async function writePrivateFile(file: string, text: string): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.chmod(0o600);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new OrbitError('IO', `cannot write ${file}: ${(error as Error).message}`, {
      path: file,
      hint: 'check that the state directory exists and the Star may write it',
      cause: error,
    });
  }
}
