import 'reflect-metadata';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueStarCertificate } from '@orbit/engine/identity/certificate-issuer';
import { createGridCa, type GridCa } from '@orbit/engine/identity/grid-ca';
import { exportPrivateKeyPem, generateGridKeys } from '@orbit/engine/identity/grid-crypto';
import { createCsr } from '@orbit/engine/identity/star-csr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStarConfig } from '../config/load-star-config.ts';
import type { StarConfig } from '../config/star-config-schema.ts';
import { loadSessionCredentials } from './session-credentials.ts';
import { loadStarCredentials } from './star-credentials.ts';

let dir: string;
let ca: GridCa;
const now = new Date('2026-03-01T12:00:00Z');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orbit-session-credentials-'));
  ca = await createGridCa({ commonName: 'Orbit test grid', validityDays: 365, now });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A star.toml whose key, certificate and CA files hold a freshly issued Star certificate. */
async function starWith(name: string, issuer: GridCa, caPem = ca.certificatePem): Promise<StarConfig> {
  const keys = await generateGridKeys();
  const issued = await issueStarCertificate({
    ca: issuer,
    csrPem: await createCsr({ starName: name, keys }),
    starId: `star-${name}`,
    teamId: 'team-1',
    validityDays: 30,
    now,
  });
  const files = {
    key: join(dir, `${name}.key`),
    cert: join(dir, `${name}.crt`),
    ca: join(dir, `${name}-ca.crt`),
  };
  await writeFile(files.key, await exportPrivateKeyPem(keys.privateKey));
  await writeFile(files.cert, issued.chainPem);
  await writeFile(files.ca, caPem);
  return parseStarConfig(
    [
      `[hub]\naddress = "127.0.0.1:7444"\nca_cert = "${files.ca}"`,
      `[star]\nname = "${name}"\nstate_dir = "${dir}"\ndata_listen = "127.0.0.1:0"`,
      `cert_file = "${files.cert}"\nkey_file = "${files.key}"`,
      `[security]\nallowed_paths = [{ path = "${dir}" }]`,
    ].join('\n'),
    { file: join(dir, `${name}.toml`) },
  );
}

describe('loadSessionCredentials (node:crypto X.509)', () => {
  it('reads the same identity as the engine parser', async () => {
    for (const name of ['a', 'b', 'c', 'd']) {
      const config = await starWith(name, ca);
      const light = await loadSessionCredentials(config, now);
      const full = await loadStarCredentials(config, now);
      expect(light).toEqual(full);
      expect(light.identity).toMatchObject({ starId: `star-${name}`, teamId: 'team-1' });
    }
  });

  it('refuses a certificate from another CA, and one outside its validity, as the engine does', async () => {
    const other = await createGridCa({ commonName: 'Another grid', validityDays: 365, now });
    const foreign = await starWith('foreign', other);
    await expect(loadSessionCredentials(foreign, now)).rejects.toThrow(/was not issued by this grid's CA/);
    await expect(loadStarCredentials(foreign, now)).rejects.toThrow(/was not issued by this grid's CA/);

    const config = await starWith('timed', ca);
    const later = new Date(now.getTime() + 31 * 24 * 3600 * 1000);
    const refusal = (pending: Promise<unknown>) =>
      pending.then(
        () => 'accepted',
        (error: Error) => error.message,
      );
    const expired = await refusal(loadSessionCredentials(config, later));
    expect(expired).toMatch(/^certificate expired at /);
    expect(expired).toBe(await refusal(loadStarCredentials(config, later)));
    const early = new Date(now.getTime() - 3600 * 1000);
    await expect(loadSessionCredentials(config, early)).rejects.toThrow(/is not valid until/);
  });
});
