import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStarConfig, parseStarConfig } from './load-star-config.ts';
import { writeStarConfig } from './write-star-config.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'orbit-star-write-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const TEXT = `
[hub]
address = "nucleus.example.com:7443"
[star]
name = "lab 01"
state_dir = "/var/lib/orbit"
data_listen = "0.0.0.0:7450"
advertise_address = "[2001:db8::5]:7450"
[security]
allowed_paths = [{ path = "/srv/data", access = "rw" }, { path = "/mnt/ro" }]
[limits]
concurrent_transfers = 8
bandwidth = "1.5GB/s"
`;

describe('writeStarConfig', () => {
  it('writes a file that loads back to the same config, with mode 0600', async () => {
    const file = join(dir, 'star.toml');
    const config = parseStarConfig(TEXT, { file });
    await writeStarConfig(file, { ...config, star: { ...config.star, id: 'star-123' } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const loaded = await loadStarConfig(file);
    expect(loaded).toEqual({ ...config, star: { ...config.star, id: 'star-123' } });
    expect(readFileSync(file, 'utf8')).toContain('id = "star-123"');
    expect(readdirSync(dir)).toEqual(['star.toml']);
  });

  it('round-trips a listen address on port 0 with no advertise address of its own', async () => {
    const file = join(dir, 'star.toml');
    const text = TEXT.replace('0.0.0.0:7450', '127.0.0.1:0').replace(/^advertise_address = .*$/m, '');
    const config = parseStarConfig(text, { file });
    await writeStarConfig(file, config);
    expect(readFileSync(file, 'utf8')).not.toContain('advertise_address');
    expect(await loadStarConfig(file)).toEqual(config);
  });

  it('replaces an existing file whole and tightens its mode', async () => {
    const file = join(dir, 'star.toml');
    writeFileSync(file, 'old contents', { mode: 0o644 });
    await writeStarConfig(file, parseStarConfig(TEXT, { file }));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain('old contents');
  });

  it('leaves nothing behind when the folder is missing', async () => {
    const file = join(dir, 'missing', 'star.toml');
    await expect(writeStarConfig(file, parseStarConfig(TEXT, { file }))).rejects.toMatchObject({
      code: 'IO',
      location: { path: file },
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses to write a config the loader would refuse', async () => {
    const file = join(dir, 'star.toml');
    const config = parseStarConfig(TEXT, { file });
    await expect(writeStarConfig(file, { ...config, security: { allowedPaths: [] } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(readdirSync(dir)).toEqual([]);
  });
});
