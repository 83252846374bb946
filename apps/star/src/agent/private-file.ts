import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { OrbitError } from '@orbit/engine/errors';

// Its own module, apart from star-credentials.ts: what an idle Star loads at boot (its expected
// jobs) must not pull in the certificate parser.

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
