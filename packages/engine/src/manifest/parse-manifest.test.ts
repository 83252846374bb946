import { describe, expect, it } from 'vitest';
import { DEFAULT_CHUNKING } from '../chunking/chunking-options.ts';
import { parseManifest } from './parse-manifest.ts';

const FILE = '/srv/orbit/orbit.manifest.toml';
const parse = (text: string, env: Record<string, string | undefined> = { HOME: '/home/ada' }) =>
  parseManifest(text, { file: FILE, env });

describe('parseManifest: valid manifests', () => {
  it('fills every default for a minimal job', () => {
    const manifest = parse(`
[[job]]
name = "photos"
source = "photos"
destination = "/backup/photos"
`);
    expect(manifest.file).toBe(FILE);
    expect(manifest.baseDir).toBe('/srv/orbit');
    expect(manifest.defaults).toEqual({
      checksum: 'blake3',
      compression: { codec: 'none' },
      resume: true,
      concurrency: 4,
      auditLog: '/srv/orbit/orbit-audit.log',
      auditKeyEnv: 'ORBIT_AUDIT_KEY',
      planVisualisation: 'text',
      chunking: DEFAULT_CHUNKING,
      packSize: 64 * 1024 * 1024,
    });
    expect(manifest.jobs).toEqual([
      {
        name: 'photos',
        source: '/srv/orbit/photos',
        destination: '/backup/photos',
        include: [],
        exclude: [],
        mode: 'copy',
        delete: false,
        compression: { codec: 'none' },
        checksum: 'blake3',
        resume: true,
        chunking: DEFAULT_CHUNKING,
        dependsOn: [],
        packSize: 64 * 1024 * 1024,
      },
    ]);
    expect(manifest.locations.photos).toEqual({
      source: { kind: 'local', path: '/srv/orbit/photos' },
      destination: { kind: 'local', path: '/backup/photos' },
    });
    expect(manifest.schedules).toEqual({});
  });

  it('applies [defaults] to jobs and lets each job override them', () => {
    const manifest = parse(`
[defaults]
checksum = "sha256"
compression = "zstd:7"
resume = false
concurrency = 2
audit_log = "logs/audit.log"
audit_key_env = "MY_KEY"
plan_visualisation = "dot"
pack_size = 1048576

[defaults.chunking]
min = 65536
avg = 262144
max = 1048576

[[job]]
name = "inherits"
source = "/a"
destination = "/b"

[[job]]
name = "overrides"
source = "/c"
destination = "/d"
mode = "archive"
compression = "auto"
checksum = "none"
resume = true
pack_size = 4096
chunking = { avg = 524288 }
`);
    const [inherits, overrides] = manifest.jobs;
    expect(manifest.defaults).toMatchObject({
      checksum: 'sha256',
      compression: { codec: 'zstd', level: 7 },
      resume: false,
      concurrency: 2,
      auditLog: '/srv/orbit/logs/audit.log',
      auditKeyEnv: 'MY_KEY',
      planVisualisation: 'dot',
      packSize: 1048576,
      chunking: { minSize: 65536, avgSize: 262144, maxSize: 1048576 },
    });
    expect(inherits).toMatchObject({
      checksum: 'sha256',
      compression: { codec: 'zstd', level: 7 },
      resume: false,
      packSize: 1048576,
      chunking: { minSize: 65536, avgSize: 262144, maxSize: 1048576 },
    });
    expect(overrides).toMatchObject({
      mode: 'archive',
      checksum: 'none',
      compression: { codec: 'auto', level: 3 },
      resume: true,
      packSize: 4096,
      chunking: { minSize: 65536, avgSize: 524288, maxSize: 1048576 },
    });
  });

  it('turns the audit log off with audit_log = false', () => {
    const manifest = parse(`
[defaults]
audit_log = false
[[job]]
name = "a"
source = "/a"
destination = "/b"
`);
    expect(manifest.defaults.auditLog).toBeNull();
  });

  it(`resolves relative, ~ and \${VAR} paths and keeps $\${ literal`, () => {
    const manifest = parse(
      `
[[job]]
name = "home"
source = "~/pictures/../photos"
destination = "\${BACKUP_ROOT}/photos"
include = ["**/*.jpg", "$\${literal}"]

[[job]]
name = "relative"
source = "./data/."
destination = "../out"
`,
      { HOME: '/home/ada', BACKUP_ROOT: '/mnt/backup' },
    );
    expect(manifest.jobs[0]).toMatchObject({
      source: '/home/ada/photos',
      destination: '/mnt/backup/photos',
      include: ['**/*.jpg', `\${literal}`],
    });
    expect(manifest.jobs[1]).toMatchObject({ source: '/srv/orbit/data', destination: '/srv/out' });
  });

  it('reads Star locations for grid jobs', () => {
    const manifest = parse(`
[[job]]
name = "to-nas"
source = "/data"
destination = { star = "nas-01", path = "/srv/data/" }
`);
    expect(manifest.locations['to-nas']).toEqual({
      source: { kind: 'local', path: '/data' },
      destination: { kind: 'star', star: 'nas-01', path: '/srv/data' },
    });
    expect(manifest.jobs[0]?.destination).toBe('/srv/data');
  });

  it('accepts mirror with delete, include/exclude, depends_on and a schedule', () => {
    const manifest = parse(`
[[job]]
name = "docs"
source = "/docs"
destination = "/mirror/docs"
mode = "mirror"
delete = true
include = ["**/*.md"]
exclude = ["drafts/**"]
schedule = "30 2 * * mon-fri"

[[job]]
name = "docs.archive"
source = "/mirror/docs"
destination = "/archive/docs"
mode = "archive"
depends_on = ["docs"]
`);
    expect(manifest.jobs[0]).toMatchObject({
      mode: 'mirror',
      delete: true,
      include: ['**/*.md'],
      exclude: ['drafts/**'],
    });
    expect(manifest.jobs[1]).toMatchObject({ mode: 'archive', dependsOn: ['docs'], delete: false });
    expect(manifest.schedules).toEqual({ docs: '30 2 * * mon-fri' });
  });

  it('allows a job to read another job’s destination when it depends on it', () => {
    const manifest = parse(`
[[job]]
name = "stage"
source = "/data"
destination = "/staging/data"

[[job]]
name = "ship"
source = "/staging"
destination = { star = "nas-01", path = "/srv/data" }
depends_on = ["stage"]
`);
    expect(manifest.jobs.map((job) => job.name)).toEqual(['stage', 'ship']);
  });

  it('allows a destination inside the source when an exclude glob covers it', () => {
    const manifest = parse(`
[[job]]
name = "snapshot"
source = "/data"
destination = "/data/.snapshots/today"
exclude = [".snapshots/**"]
`);
    expect(manifest.jobs[0]?.destination).toBe('/data/.snapshots/today');
  });

  it('does not treat the same path on different machines as overlapping', () => {
    const manifest = parse(`
[[job]]
name = "push"
source = "/data"
destination = { star = "nas-01", path = "/data/copy" }
`);
    expect(manifest.jobs).toHaveLength(1);
  });

  it('uses baseDir over the file folder when given', () => {
    const manifest = parseManifest('[[job]]\nname = "a"\nsource = "in"\ndestination = "out"\n', {
      file: 'inline.toml',
      baseDir: '/work/project',
      env: {},
    });
    expect(manifest.jobs[0]).toMatchObject({ source: '/work/project/in', destination: '/work/project/out' });
  });
});
