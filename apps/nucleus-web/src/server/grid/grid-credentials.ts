import { chmod, mkdir, readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { writePrivateFile } from '@orbit/engine/files/private-file';
import {
  type IssuedServerCertificate,
  issueServerCertificate,
} from '@orbit/engine/identity/certificate-issuer';
import { createGridCa, exportGridCa, type GridCa, importGridCa } from '@orbit/engine/identity/grid-ca';
import { certificateFingerprint } from '@orbit/engine/identity/grid-crypto';

/** The grid's trust material as the Nucleus holds it while serving. */
export interface GridCredentials {
  readonly ca: GridCa;
  /** `sha256:<hex of the CA certificate's DER>`: what a join command pins. */
  readonly caPin: string;
  /** Issued fresh on every start: Stars trust the CA, never this certificate itself. */
  readonly server: IssuedServerCertificate;
}

export interface LoadGridCredentialsInput {
  readonly stateDir: string;
  /** The host name or IP address Stars dial; goes into the server certificate. */
  readonly publicHostname: string;
  readonly now?: Date;
}

const CA_VALIDITY_DAYS = 3650;
const SERVER_VALIDITY_DAYS = 90;

/**
 * Loads the grid CA from `<stateDir>/grid/` or creates it on first start (files 0600, folder 0700).
 * Exactly one of the two files present means a broken state dir: refuse rather than mint a new CA,
 * which would silently orphan every enrolled Star.
 */
export async function loadGridCredentials({
  stateDir,
  publicHostname,
  now = new Date(),
}: LoadGridCredentialsInput): Promise<GridCredentials> {
  const folder = path.join(stateDir, 'grid');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await chmod(folder, 0o700);
  const certificateFile = path.join(folder, 'ca.crt');
  const keyFile = path.join(folder, 'ca.key');
  const [certificatePem, privateKeyPem] = await Promise.all([
    readIfPresent(certificateFile),
    readIfPresent(keyFile),
  ]);
  let ca: GridCa;
  if (certificatePem !== undefined && privateKeyPem !== undefined) {
    ca = await importGridCa({ certificatePem, privateKeyPem }).catch((cause: unknown) => {
      throw new Error(`The grid CA in ${folder} cannot be loaded: ${(cause as Error).message}`, { cause });
    });
  } else if (certificatePem === undefined && privateKeyPem === undefined) {
    ca = await createGridCa({ commonName: 'Orbit grid CA', validityDays: CA_VALIDITY_DAYS, now });
    const stored = await exportGridCa(ca);
    await writePrivateFile(keyFile, stored.privateKeyPem);
    await writePrivateFile(certificateFile, stored.certificatePem);
  } else {
    const missing = certificatePem === undefined ? certificateFile : keyFile;
    throw new Error(
      `The grid CA is incomplete: ${missing} is missing. Restore it from backup; deleting both files creates a new CA and every Star must join again`,
    );
  }
  const isAddress = isIP(publicHostname) !== 0;
  const server = await issueServerCertificate({
    ca,
    validityDays: SERVER_VALIDITY_DAYS,
    ...(isAddress ? { ipAddresses: [publicHostname] } : { dnsNames: [publicHostname] }),
    now,
  });
  return { ca, caPin: `sha256:${await certificateFingerprint(ca.certificate)}`, server };
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
}
