import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatIssue, isOrbitError, type OrbitError } from '../errors.ts';
import { loadManifest, producerOf } from './load-manifest.ts';
import { manifestFingerprint } from './manifest-fingerprint.ts';
import { parseManifest } from './parse-manifest.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orbit-manifest-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<OrbitError> {
  try {
    await promise;
  } catch (error) {
    if (isOrbitError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('loadManifest', () => {
  it('reads a manifest and resolves paths against its folder', async () => {
    await mkdir(join(dir, 'photos'));
    const file = join(dir, 'orbit.manifest.toml');
    await writeFile(file, '[[job]]\nname = "p"\nsource = "photos"\ndestination = "out/photos"\n');
    const manifest = await loadManifest(file, { env: {} });
    expect(manifest.file).toBe(file);
    expect(manifest.jobs[0]).toMatchObject({
      source: join(dir, 'photos'),
      destination: join(dir, 'out/photos'),
    });
  });

  it('reports every missing source and file destination at its key', async () => {
    await writeFile(join(dir, 'taken'), 'a file, not a folder');
    await mkdir(join(dir, 'present'));
    const file = join(dir, 'orbit.manifest.toml');
    await writeFile(
      file,
      `[[job]]
name = "missing"
source = "nope"
destination = "out"

[[job]]
name = "onto-file"
source = "present"
destination = "taken"

[[job]]
name = "remote"
source = { star = "nas-01", path = "/not/here" }
destination = "fresh/parent/missing"
`,
    );
    const error = await rejection(loadManifest(file, { env: {} }));
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.issues.map(formatIssue)).toEqual([
      `${file}:3:1: job[0].source: source ${join(dir, 'nope')} does not exist\n  hint: check the path (relative paths start at the manifest folder), or create it`,
      `${file}:9:1: job[1].destination: destination ${join(dir, 'taken')} exists and is not a folder\n  hint: point the destination at a folder (it is created if missing), or move that file away`,
    ]);
    expect(error.issues[0]?.path).toBe(join(dir, 'nope'));
  });

  it('uses PATH_NOT_FOUND when only sources are missing, and skips the checks on request', async () => {
    const file = join(dir, 'orbit.manifest.toml');
    await writeFile(file, '[[job]]\nname = "a"\nsource = "gone"\ndestination = "out"\n');
    expect((await rejection(loadManifest(file, { env: {} }))).code).toBe('PATH_NOT_FOUND');
    await expect(loadManifest(file, { env: {}, checkPaths: false })).resolves.toMatchObject({ file });
  });

  it('accepts a missing source that a job it waits for makes, and only then', async () => {
    await mkdir(join(dir, 'photos'));
    const file = join(dir, 'orbit.manifest.toml');
    const chain = (dependsOn: string) => `[[job]]
name = "backup"
source = "photos"
destination = "backup/photos"

[[job]]
name = "middle"
source = "photos"
destination = "elsewhere"
${dependsOn}

[[job]]
name = "archive"
source = "backup/photos/2026"
destination = "archive"
depends_on = ["middle"]
`;
    // Through "middle", "archive" waits for "backup", whose destination holds its source.
    await writeFile(file, chain('depends_on = ["backup"]'));
    const manifest = await loadManifest(file, { env: {} });
    expect(manifest.jobs.map((job) => job.name)).toEqual(['backup', 'middle', 'archive']);
    expect(producerOf(manifest, 'archive')).toBe('backup');
    expect(producerOf(manifest, 'backup')).toBeUndefined();

    // Without the order it would be read while it is written: refused before the paths are looked at.
    await writeFile(file, chain(''));
    const error = await rejection(loadManifest(file, { env: {} }));
    expect(error.issues.map(formatIssue)).toEqual([
      `${file}:14:1: job[2].source: source ${join(dir, 'backup/photos/2026')} is inside the destination of job "backup" (${join(dir, 'backup/photos')}), which writes into it while this job reads it\n  hint: add depends_on = ["backup"] to job "archive" if it should read that job's finished output, or move the source`,
    ]);
    // A job it does not wait for makes nothing it can count on.
    await writeFile(file, chain('').replace('source = "backup/photos/2026"', 'source = "nowhere/2026"'));
    expect((await rejection(loadManifest(file, { env: {} }))).issues.map(formatIssue)).toEqual([
      `${file}:14:1: job[2].source: source ${join(dir, 'nowhere/2026')} does not exist\n  hint: check the path (relative paths start at the manifest folder), or create it`,
    ]);
  });

  it('says clearly when the manifest file is missing', async () => {
    const error = await rejection(loadManifest(join(dir, 'absent.toml')));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.location.path).toBe(join(dir, 'absent.toml'));
    expect(error.hint).toContain('examples/orbit.manifest.toml');
  });
});

describe('the example manifest', () => {
  it('parses, with two jobs and a dependency', async () => {
    const path = new URL('../../examples/orbit.manifest.toml', import.meta.url);
    const text = await readFile(path, 'utf8');
    const manifest = parseManifest(text, {
      file: '/home/ada/orbit/orbit.manifest.toml',
      env: { HOME: '/home/ada', BACKUP_ROOT: '/mnt/backup' },
    });
    expect(
      manifest.jobs.map((job) => [job.name, job.mode, job.source, job.destination, job.dependsOn]),
    ).toEqual([
      ['photos', 'copy', '/home/ada/Pictures', '/mnt/backup/photos', []],
      ['photos-archive', 'archive', '/mnt/backup/photos', '/mnt/backup/archive', ['photos']],
    ]);
    expect(manifest.defaults.concurrency).toBe(2);
    expect(manifest.schedules).toEqual({ 'photos-archive': '30 2 * * *' });
  });
});

describe('manifestFingerprint', () => {
  const base = '[[job]]\nname = "a"\nsource = "/a"\ndestination = "/b"\n';
  const fingerprint = (text: string) =>
    manifestFingerprint(parseManifest(text, { file: '/m/orbit.toml', env: {} }));

  it('is a sha256 hex that ignores formatting, comments and key order', () => {
    const value = fingerprint(base);
    expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(
      fingerprint(
        `# note\n[[job]]\ndestination   = "/b"\nsource = "/a"   # here\nname = "a"\nmode = "copy"\n`,
      ),
    ).toBe(value);
  });

  it('changes when a resolved job changes', () => {
    const value = fingerprint(base);
    expect(fingerprint(base.replace('"/b"', '"/c"'))).not.toBe(value);
    expect(fingerprint(`${base}checksum = "sha256"\n`)).not.toBe(value);
    expect(fingerprint(`[defaults]\ncompression = "zstd"\n${base}`)).not.toBe(value);
    expect(fingerprint(base.replace('"/b"', '{ star = "nas", path = "/b" }'))).not.toBe(value);
  });
});
