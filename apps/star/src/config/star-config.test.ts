import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OrbitError } from '@orbit/engine/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { formatBandwidth, parseBandwidth } from './bandwidth.ts';
import { parseHostPort } from './host-port.ts';
import { loadStarConfig, parseStarConfig } from './load-star-config.ts';
import { peerAllowed } from './peer-address.ts';

const examplePath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'star.example.toml');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const MINIMAL = `
[hub]
address = "10.0.0.1:7443"

[star]
name = "lab"
state_dir = "/var/lib/orbit"
data_listen = "127.0.0.1:0"

[security]
allowed_paths = [{ path = "/srv/data/" }]
`;

function failure(text: string, file = '/etc/orbit/star.toml'): OrbitError {
  try {
    parseStarConfig(text, { file });
  } catch (error) {
    if (error instanceof OrbitError) return error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('star.toml', () => {
  it('parses the documented example', async () => {
    const config = await loadStarConfig(examplePath);
    expect(config).toEqual({
      hub: {
        address: { host: 'nucleus.example.com', port: 7443, text: 'nucleus.example.com:7443' },
        caCert: '/var/lib/orbit-star/ca.crt',
        serverName: 'nucleus.orbit.local',
      },
      star: {
        name: 'nas-01',
        id: undefined,
        stateDir: '/var/lib/orbit-star',
        dataListen: { host: '0.0.0.0', port: 7450, text: '0.0.0.0:7450' },
        advertiseAddress: { host: 'nas-01.example.com', port: 7450, text: 'nas-01.example.com:7450' },
        certFile: '/var/lib/orbit-star/star.crt',
        keyFile: '/var/lib/orbit-star/star.key',
      },
      security: {
        allowedPaths: [
          { path: '/srv/data', access: 'rw' },
          { path: '/mnt/archive', access: 'ro' },
        ],
      },
      network: {
        peers: [
          { host: '10.0.0.7', port: 7450, text: '10.0.0.7:7450' },
          { host: 'nas2.lan', port: undefined, text: 'nas2.lan' },
        ],
      },
      limits: {
        concurrentTransfers: 4,
        bandwidth: { bytesPerSecond: 100 * 2 ** 20, text: '100MiB/s' },
        keepPartialDays: 7,
      },
    });
  });

  it('reads [network] peers: loopback is always allowed, a listed host admits any port', () => {
    const config = parseStarConfig(
      `${MINIMAL}\n[network]\npeers = ["nas2.lan", "10.0.0.7:7450", "[::2]:9"]\n`,
      {
        file: '/etc/orbit/star.toml',
      },
    );
    const { peers } = config.network;
    expect(peerAllowed(peers, 'nas2.lan', 1)).toBe(true);
    expect(peerAllowed(peers, 'NAS2.lan', 7450)).toBe(true);
    expect(peerAllowed(peers, '10.0.0.7', 7450)).toBe(true);
    expect(peerAllowed(peers, '10.0.0.7', 7451)).toBe(false);
    expect(peerAllowed(peers, '::2', 9)).toBe(true);
    expect(peerAllowed(peers, '10.0.0.8', 7450)).toBe(false);
    expect(peerAllowed(peers, '127.0.0.1', 7450)).toBe(true);
    expect(peerAllowed(peers, 'localhost', 1)).toBe(true);
    expect(peerAllowed('any', '203.0.113.9', 7450)).toBe(true);
    expect(parseStarConfig(`${MINIMAL}\n`, { file: '/x/star.toml' }).network.peers).toEqual([]);
    const bad = failure(`${MINIMAL}\n[network]\npeers = ["nas2.lan:99999", "every one"]\n`);
    expect(bad.issues.map(({ keyPath, message }) => `${keyPath}: ${message}`)).toEqual([
      'network.peers[0]: port in "nas2.lan:99999" must be from 1 to 65535',
      'network.peers[1]: "every one" is not a host or host:port',
    ]);
    expect(failure(`${MINIMAL}\n[network]\npeers = "all"\n`).issues[0]).toMatchObject({
      keyPath: 'network.peers',
      message: 'must be "any" or a list, not "all"',
    });
  });

  it('fills defaults and resolves relative file paths against the config folder', () => {
    const config = parseStarConfig(`${MINIMAL}\n`.replace('[star]', '[star]\ncert_file = "certs/star.crt"'), {
      file: '/etc/orbit/star.toml',
    });
    expect(config.hub.caCert).toBe('/var/lib/orbit/ca.crt');
    expect(config.hub.serverName).toBe('nucleus.orbit.local');
    expect(config.star.certFile).toBe('/etc/orbit/certs/star.crt');
    expect(config.star.keyFile).toBe('/var/lib/orbit/star.key');
    expect(config.star.advertiseAddress).toEqual(config.star.dataListen);
    expect(config.security.allowedPaths).toEqual([{ path: '/srv/data', access: 'ro' }]);
    expect(config.limits).toEqual({
      concurrentTransfers: 4,
      bandwidth: { bytesPerSecond: undefined, text: 'unlimited' },
      keepPartialDays: 7,
    });
  });

  it('reports a syntax error with line and column', () => {
    const error = failure('[hub]\naddress = "x:1\n');
    expect(error.location).toMatchObject({ file: '/etc/orbit/star.toml', line: 2 });
    expect(error.message).toMatch(/TOML syntax error/);
  });

  it('reports every problem at once with its key, line and a hint', () => {
    const text = `[hub]
address = "nucleus.example.com"

[star]
name = "lab"
state_dir = "var/lib/orbit"
data_listen = "0.0.0.0:7450"
adress = "x"

[security]
allowed_paths = [
  { path = "/srv/data", access = "rw" },
  { path = "/srv/../etc", access = "write" },
  { path = "/srv/data" },
]

[limits]
bandwidth = "fast"
concurrent_transfers = 0
keep_partial_days = 0.5
`;
    const error = failure(text);
    const byKey = Object.fromEntries(error.issues.map((issue) => [issue.keyPath, issue]));
    expect(byKey['hub.address']).toMatchObject({
      line: 2,
      column: 1,
      message: expect.stringMatching(/not host:port/),
    });
    expect(byKey['star.state_dir']).toMatchObject({ line: 6, message: 'must be an absolute path' });
    expect(byKey['star.adress']).toMatchObject({ line: 8, message: 'unknown key "adress"' });
    expect(byKey['security.allowed_paths[1].path']).toMatchObject({
      line: 13,
      message: 'must not contain ".."',
    });
    expect(byKey['security.allowed_paths[1].access']?.hint).toMatch(/"ro".*"rw"/);
    expect(byKey['limits.bandwidth']).toMatchObject({ line: 18, hint: expect.stringMatching(/100MiB\/s/) });
    expect(byKey['limits.concurrent_transfers']).toMatchObject({ line: 19 });
    expect(byKey['limits.keep_partial_days']).toMatchObject({ line: 20 });
    expect(error.format()).toMatch(/problems found/);
    expect(error.format()).toContain('/etc/orbit/star.toml:6:1: star.state_dir: must be an absolute path');
  });

  it('suggests the key a typo meant', () => {
    const error = failure(MINIMAL.replace('name = "lab"', 'name = "lab"\nstat_dir = "/x"'));
    expect(error.issues[0]).toMatchObject({ keyPath: 'star.stat_dir', hint: 'did you mean "state_dir"?' });
  });

  it('names missing tables and keys', () => {
    const error = failure('[star]\nname = "x"\n');
    const keys = error.issues.map((issue) => issue.keyPath);
    expect(keys).toEqual(expect.arrayContaining(['hub', 'star.state_dir', 'star.data_listen', 'security']));
    expect(error.issues.find((issue) => issue.keyPath === 'hub')?.message).toBe('is required');
  });

  it('refuses duplicate roots and a wildcard listen address without an advertise address', () => {
    const text = MINIMAL.replace('127.0.0.1:0', '[::]:7450').replace(
      '[{ path = "/srv/data/" }]',
      '[{ path = "/srv/data/" }, { path = "/srv/data", access = "rw" }]',
    );
    const keys = failure(text).issues.map((issue) => issue.keyPath);
    expect(keys).toEqual(['security.allowed_paths[1].path', 'star.advertise_address']);
  });

  it('reports a missing file as NOT_FOUND with the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orbit-star-config-'));
    temps.push(dir);
    await expect(loadStarConfig(join(dir, 'star.toml'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      location: { path: join(dir, 'star.toml') },
    });
    writeFileSync(join(dir, 'star.toml'), readFileSync(examplePath));
    expect((await loadStarConfig(join(dir, 'star.toml'))).star.name).toBe('nas-01');
  });
});

describe('bandwidth and addresses', () => {
  it('parses rates in decimal and binary units', () => {
    expect(parseBandwidth('100MiB/s')).toBe(104_857_600);
    expect(parseBandwidth('1.5 GB/s')).toBe(1_500_000_000);
    expect(parseBandwidth('800KiB / s')).toBe(819_200);
    expect(parseBandwidth('512/s')).toBe(512);
    expect(parseBandwidth('Unlimited')).toBeUndefined();
    for (const bad of ['100', '100MiB', 'fast', '-1MiB/s', '0B/s', '1 Mbit/s', '0.1B/s']) {
      expect(() => parseBandwidth(bad), bad).toThrow();
    }
    expect(formatBandwidth(104_857_600)).toBe('100MiB/s');
    expect(formatBandwidth(1_500_000_000)).toBe('1500000000B/s');
    expect(formatBandwidth(undefined)).toBe('unlimited');
  });

  it('parses host:port, IPv6 in brackets', () => {
    expect(parseHostPort('[::1]:7450')).toEqual({ host: '::1', port: 7450 });
    expect(parseHostPort('nas-01.example.com:1')).toEqual({ host: 'nas-01.example.com', port: 1 });
    for (const bad of ['host', ':80', 'host:', 'host:65536', 'host:0', '::1:80', 'ho st:80', 'http://x:80']) {
      expect(() => parseHostPort(bad), bad).toThrow();
    }
    expect(parseHostPort('0.0.0.0:0', true)).toEqual({ host: '0.0.0.0', port: 0 });
  });
});
