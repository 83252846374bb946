import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueServerCertificate, issueStarCertificate } from './certificate-issuer.ts';
import { createGridCa, exportGridCa, type GridCa, importGridCa } from './grid-ca.ts';
import { exportPrivateKeyPem, generateGridKeys, importPrivateKeyPem } from './grid-crypto.ts';
import { CertificateError } from './identity-errors.ts';
import { createCsr, verifyCsr } from './star-csr.ts';
import { needsRenewal, parseStarIdentity } from './star-identity.ts';

let dir: string;
let ca: GridCa;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'orbit-identity-'));
  ca = await createGridCa({ commonName: 'Orbit test grid', validityDays: 365 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function joinStar(starId = 'star-7', teamId = 'team-3') {
  const keys = await generateGridKeys();
  const csrPem = await createCsr({ starName: 'lab box 01', keys });
  const issued = await issueStarCertificate({
    ca,
    csrPem,
    starId,
    teamId,
    validityDays: 30,
    dnsNames: ['lab01.example.com'],
  });
  return { keys, csrPem, issued };
}

describe('grid CA', () => {
  it('round-trips through PEM and refuses a key from another CA', async () => {
    const stored = await exportGridCa(ca);
    expect(stored.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const loaded = await importGridCa(stored);
    expect(loaded.certificate.serialNumber).toBe(ca.certificate.serialNumber);

    const other = await exportGridCa(await createGridCa({ commonName: 'Other', validityDays: 1 }));
    await expect(
      importGridCa({ certificatePem: stored.certificatePem, privateKeyPem: other.privateKeyPem }),
    ).rejects.toThrow(/does not belong to the CA certificate/);
  });

  it('is accepted by OpenSSL as a CA', () => {
    writeFileSync(join(dir, 'ca-only.pem'), ca.certificatePem);
    const text = openssl('x509', '-in', 'ca-only.pem', '-noout', '-text');
    expect(text).toMatch(/CA:TRUE, pathlen:0/);
    expect(text).toMatch(/prime256v1/);
  });

  it('refuses bad input with the key that is wrong', async () => {
    await expect(createGridCa({ commonName: 'x', validityDays: 0 })).rejects.toThrow(/validityDays/);
    await expect(createGridCa({ commonName: 'a,b=c', validityDays: 1 })).rejects.toThrow(/common name/);
    await expect(importPrivateKeyPem('not pem')).rejects.toThrow(/PRIVATE KEY/);
  });
});

describe('Star certificates', () => {
  it('issues a certificate OpenSSL verifies against the CA, for client and server use', async () => {
    const { issued, keys } = await joinStar();
    writeFileSync(join(dir, 'ca.pem'), ca.certificatePem);
    writeFileSync(join(dir, 'star.pem'), issued.certificatePem);
    writeFileSync(join(dir, 'star.key'), await exportPrivateKeyPem(keys.privateKey));
    expect(openssl('verify', '-CAfile', 'ca.pem', 'star.pem').trim()).toBe('star.pem: OK');
    expect(openssl('verify', '-CAfile', 'ca.pem', '-purpose', 'sslclient', 'star.pem').trim()).toBe(
      'star.pem: OK',
    );
    expect(openssl('verify', '-CAfile', 'ca.pem', '-purpose', 'sslserver', 'star.pem').trim()).toBe(
      'star.pem: OK',
    );
    // The key OpenSSL reads is the one the certificate is for.
    const fromKey = openssl('pkey', '-in', 'star.key', '-pubout');
    const fromCert = openssl('x509', '-in', 'star.pem', '-noout', '-pubkey');
    expect(fromKey).toBe(fromCert);
    const text = openssl('x509', '-in', 'star.pem', '-noout', '-text');
    expect(text).toContain('URI:spiffe://orbit/team/team-3/star/star-7');
    expect(text).toContain('DNS:star-7.star.orbit.local');
    expect(text).toContain('DNS:lab01.example.com');
    expect(text).toMatch(/CA:FALSE/);
  });

  it('reports fingerprint, serial and expiry that match the certificate', async () => {
    const { issued } = await joinStar();
    writeFileSync(join(dir, 'fp.pem'), issued.certificatePem);
    const opensslFingerprint = openssl('x509', '-in', 'fp.pem', '-noout', '-fingerprint', '-sha256')
      .split('=')[1]
      ?.trim()
      .replaceAll(':', '')
      .toLowerCase();
    expect(issued.fingerprint).toBe(opensslFingerprint);
    const serial = openssl('x509', '-in', 'fp.pem', '-noout', '-serial').split('=')[1]?.trim().toLowerCase();
    expect(issued.serialNumber).toBe(serial);
    expect(issued.chainPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const other = await joinStar();
    expect(other.issued.serialNumber).not.toBe(issued.serialNumber);
  });

  it('parses the Star identity back, checked against the CA', async () => {
    const { issued } = await joinStar('9b2f0c1e-4d5a-4c3b-8e7f-0a1b2c3d4e5f', 'acme');
    const identity = await parseStarIdentity(issued.chainPem, { caCertificatePem: ca.certificatePem });
    expect(identity).toMatchObject({
      starId: '9b2f0c1e-4d5a-4c3b-8e7f-0a1b2c3d4e5f',
      teamId: 'acme',
      fingerprint: issued.fingerprint,
      serialNumber: issued.serialNumber,
    });
    expect(identity.notAfter.getTime()).toBe(issued.notAfter.getTime());
  });

  it('accepts DER as grpc-js hands it over', async () => {
    const { issued } = await joinStar();
    writeFileSync(join(dir, 'der.pem'), issued.certificatePem);
    const der = execFileSync('openssl', ['x509', '-in', 'der.pem', '-outform', 'DER'], { cwd: dir });
    const identity = await parseStarIdentity(new Uint8Array(der));
    expect(identity.starId).toBe('star-7');
  });

  it('refuses a CSR whose signature does not match its key', async () => {
    const { csrPem } = await joinStar();
    // Flip one bit in the last byte of the DER: the signature no longer verifies.
    writeFileSync(join(dir, 'req.pem'), csrPem);
    const der = execFileSync('openssl', ['req', '-in', 'req.pem', '-outform', 'DER'], { cwd: dir });
    const tampered = Buffer.from(der);
    const at = tampered.length - 5;
    tampered[at] = (tampered[at] ?? 0) ^ 0x01;
    const tamperedPem = `-----BEGIN CERTIFICATE REQUEST-----\n${tampered.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    await expect(verifyCsr(tamperedPem)).rejects.toThrow(/signature does not verify|not a valid PKCS#10/);
    await expect(
      issueStarCertificate({ ca, csrPem: tamperedPem, starId: 's', teamId: 't', validityDays: 1 }),
    ).rejects.toThrow(/CSR/);
  });

  it('refuses a CSR for a key that is not ECDSA P-256', () => {
    openssl(
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-384',
      '-nodes',
      '-keyout',
      'p384.key',
      '-subj',
      '/CN=lab',
      '-out',
      'p384.csr',
    );
    const csrPem = execFileSync('cat', ['p384.csr'], { cwd: dir, encoding: 'utf8' });
    return expect(verifyCsr(csrPem)).rejects.toThrow(/not ECDSA P-256/);
  });

  it('accepts an OpenSSL-made P-256 CSR (the format is standard PKCS#10)', async () => {
    openssl(
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'p256.key',
      '-subj',
      '/CN=openssl-star',
      '-out',
      'p256.csr',
    );
    const csrPem = execFileSync('cat', ['p256.csr'], { cwd: dir, encoding: 'utf8' });
    const verified = await verifyCsr(csrPem);
    expect(verified.starName).toBe('openssl-star');
  });

  it('does not accept a certificate from another CA when given the grid CA', async () => {
    const otherCa = await createGridCa({ commonName: 'Orbit test grid', validityDays: 365 });
    const keys = await generateGridKeys();
    const foreign = await issueStarCertificate({
      ca: otherCa,
      csrPem: await createCsr({ starName: 'intruder', keys }),
      starId: 'star-7',
      teamId: 'team-3',
      validityDays: 30,
    });
    const rejection = await parseStarIdentity(foreign.certificatePem, {
      caCertificatePem: ca.certificatePem,
    }).catch((error: unknown) => error);
    expect(rejection).toBeInstanceOf(CertificateError);
    expect((rejection as CertificateError).reason).toBe('untrusted');
    // Without a CA it only parses: the caller must have verified the chain already.
    expect((await parseStarIdentity(foreign.certificatePem)).starId).toBe('star-7');
  });

  it('reports expiry and not-yet-valid when checked against the CA', async () => {
    const { issued } = await joinStar();
    const late = new Date(issued.notAfter.getTime() + 1000);
    await expect(
      parseStarIdentity(issued.certificatePem, { caCertificatePem: ca.certificatePem, now: late }),
    ).rejects.toMatchObject({
      reason: 'expired',
    });
    const early = new Date(Date.now() - 24 * 60 * 60 * 1000);
    await expect(
      parseStarIdentity(issued.certificatePem, { caCertificatePem: ca.certificatePem, now: early }),
    ).rejects.toMatchObject({
      reason: 'not-yet-valid',
    });
  });

  it('refuses certificates that are not Star certificates', async () => {
    const server = await issueServerCertificate({ ca, validityDays: 10 });
    await expect(parseStarIdentity(server.certificatePem)).rejects.toMatchObject({ reason: 'not-a-star' });
    await expect(
      parseStarIdentity('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'),
    ).rejects.toMatchObject({
      reason: 'malformed',
    });
  });

  it('refuses ids that would not fit a URI or DNS label', async () => {
    const keys = await generateGridKeys();
    const csrPem = await createCsr({ starName: 'ok', keys });
    for (const starId of ['', 'has/slash', 'dots.are.out', '-lead', 'a'.repeat(64)]) {
      await expect(
        issueStarCertificate({ ca, csrPem, starId, teamId: 't', validityDays: 1 }),
      ).rejects.toThrow(/starId/);
    }
    await expect(createCsr({ starName: '../evil', keys })).rejects.toThrow(/star name/);
  });

  it('never outlives the CA', async () => {
    const shortCa = await createGridCa({ commonName: 'Short', validityDays: 2 });
    const keys = await generateGridKeys();
    const issued = await issueStarCertificate({
      ca: shortCa,
      csrPem: await createCsr({ starName: 'x', keys }),
      starId: 's',
      teamId: 't',
      validityDays: 90,
    });
    expect(issued.notAfter.getTime()).toBeLessThanOrEqual(shortCa.certificate.notAfter.getTime());
  });
});

describe('server certificates', () => {
  it('carries nucleus.orbit.local plus the given names and verifies for TLS servers', async () => {
    const server = await issueServerCertificate({
      ca,
      validityDays: 10,
      dnsNames: ['nucleus.example.com'],
      ipAddresses: ['127.0.0.1'],
    });
    writeFileSync(join(dir, 'ca.pem'), ca.certificatePem);
    writeFileSync(join(dir, 'server.pem'), server.certificatePem);
    writeFileSync(join(dir, 'server.key'), server.privateKeyPem);
    expect(openssl('verify', '-CAfile', 'ca.pem', '-purpose', 'sslserver', 'server.pem').trim()).toBe(
      'server.pem: OK',
    );
    expect(
      openssl('verify', '-CAfile', 'ca.pem', '-verify_hostname', 'nucleus.orbit.local', 'server.pem').trim(),
    ).toBe('server.pem: OK');
    expect(openssl('verify', '-CAfile', 'ca.pem', '-verify_ip', '127.0.0.1', 'server.pem').trim()).toBe(
      'server.pem: OK',
    );
    expect(openssl('pkey', '-in', 'server.key', '-pubout')).toBe(
      openssl('x509', '-in', 'server.pem', '-noout', '-pubkey'),
    );
    await expect(issueServerCertificate({ ca, validityDays: 1, dnsNames: ['bad name'] })).rejects.toThrow(
      /dnsNames\[0\]/,
    );
    await expect(issueServerCertificate({ ca, validityDays: 1, ipAddresses: ['300.1.1.1'] })).rejects.toThrow(
      /ipAddresses\[0\]/,
    );
  });
});

describe('needsRenewal', () => {
  it('is true inside the window and after expiry, false before', () => {
    const now = new Date('2026-01-10T00:00:00Z');
    const day = 24 * 60 * 60 * 1000;
    expect(needsRenewal(new Date('2026-01-30T00:00:00Z'), now, 10 * day)).toBe(false);
    expect(needsRenewal(new Date('2026-01-20T00:00:00Z'), now, 10 * day)).toBe(true);
    expect(needsRenewal(new Date('2026-01-01T00:00:00Z'), now, 10 * day)).toBe(true);
  });
});
