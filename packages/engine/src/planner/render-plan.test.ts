import { describe, expect, it } from 'vitest';
import { parseManifest } from '../manifest/parse-manifest.ts';
import { formatBytes, formatCount, formatDuration } from './human-format.ts';
import { renderPlanDot } from './render-plan-dot.ts';
import { renderPlanJson } from './render-plan-json.ts';
import { renderPlanText } from './render-plan-text.ts';
import { starmapGraph } from './starmap-graph.ts';
import { planStarmap } from './starmap-plan.ts';

const MANIFEST = `[defaults]
concurrency = 2
compression = "zstd"

[[job]]
name = "photos"
source = "/data/photos"
destination = { star = "nas-01", path = "/srv/photos" }
checksum = "sha256"

[[job]]
name = "docs"
source = "/data/docs"
destination = "/backup/docs"
mode = "mirror"
delete = true

[[job]]
name = "vault"
source = "/backup"
destination = "/archive"
mode = "archive"
depends_on = ["photos", "docs"]
`;

const manifest = parseManifest(MANIFEST, { file: '/srv/orbit/orbit.manifest.toml', env: {} });
const sizes = new Map([
  ['photos', { files: 12_345, bytes: 3.5 * 1024 ** 3 }],
  ['docs', { files: 1, bytes: 512 }],
]);

describe('renderPlanText', () => {
  it('prints jobs, readiness and groups, and no estimate without sizes', () => {
    expect(renderPlanText(planStarmap(manifest))).toMatchInlineSnapshot(`
      "Starmap: 3 jobs, up to 2 at once

        1. photos (copy)
           /data/photos → nas-01:/srv/photos
           checksum sha256
        2. docs (mirror)
           /data/docs → /backup/docs
           delete on
        3. vault (archive)
           /backup → /archive
           after: photos, docs

      Jobs ready: photos, docs
      Parallel groups:
        1: photos, docs
        2: vault
      "
    `);
  });

  it('adds an estimate from given sizes, with a duration only for a measured throughput', () => {
    const withSizes = renderPlanText(planStarmap(manifest, { sizes }));
    expect(withSizes.slice(withSizes.indexOf('Estimate:'))).toMatchInlineSnapshot(`
      "Estimate:
        photos: 12,345 files, 3.5 GiB
        docs: 1 file, 512 B
        vault: size unknown
        total: 12,346 files, 3.5 GiB (without vault)
      "
    `);
    const measured = renderPlanText(planStarmap(manifest, { sizes, throughputBytesPerSec: 100 * 1024 ** 2 }));
    expect(measured.slice(measured.indexOf('  total:'))).toMatchInlineSnapshot(`
      "  total: 12,346 files, 3.5 GiB, about 36 s at the measured 100.0 MiB/s (without vault)
      "
    `);
  });
});

describe('renderPlanJson', () => {
  it('has a stable, documented shape', () => {
    const json = renderPlanJson(planStarmap(manifest, { sizes }));
    expect(JSON.parse(json)).toMatchInlineSnapshot(`
      {
        "concurrency": 2,
        "edges": [
          {
            "from": "photos",
            "to": "vault",
          },
          {
            "from": "docs",
            "to": "vault",
          },
        ],
        "estimate": {
          "bytes": 3758096896,
          "files": 12346,
          "seconds": null,
          "throughputBytesPerSec": null,
          "unsizedJobs": [
            "vault",
          ],
        },
        "groups": [
          [
            "photos",
            "docs",
          ],
          [
            "vault",
          ],
        ],
        "jobs": [
          {
            "changed": [
              "checksum",
            ],
            "dependsOn": [],
            "destination": {
              "kind": "star",
              "path": "/srv/photos",
              "star": "nas-01",
            },
            "group": 1,
            "mode": "copy",
            "name": "photos",
            "options": {
              "checksum": "sha256",
              "chunking": {
                "avgSize": 1048576,
                "maxSize": 4194304,
                "minSize": 262144,
              },
              "compression": "zstd:3",
              "delete": false,
              "exclude": [],
              "include": [],
              "packSize": 67108864,
              "resume": true,
            },
            "position": 1,
            "schedule": null,
            "size": {
              "bytes": 3758096384,
              "files": 12345,
            },
            "source": {
              "kind": "local",
              "path": "/data/photos",
            },
          },
          {
            "changed": [
              "delete",
            ],
            "dependsOn": [],
            "destination": {
              "kind": "local",
              "path": "/backup/docs",
            },
            "group": 1,
            "mode": "mirror",
            "name": "docs",
            "options": {
              "checksum": "blake3",
              "chunking": {
                "avgSize": 1048576,
                "maxSize": 4194304,
                "minSize": 262144,
              },
              "compression": "zstd:3",
              "delete": true,
              "exclude": [],
              "include": [],
              "packSize": 67108864,
              "resume": true,
            },
            "position": 2,
            "schedule": null,
            "size": {
              "bytes": 512,
              "files": 1,
            },
            "source": {
              "kind": "local",
              "path": "/data/docs",
            },
          },
          {
            "changed": [],
            "dependsOn": [
              "photos",
              "docs",
            ],
            "destination": {
              "kind": "local",
              "path": "/archive",
            },
            "group": 2,
            "mode": "archive",
            "name": "vault",
            "options": {
              "checksum": "blake3",
              "chunking": {
                "avgSize": 1048576,
                "maxSize": 4194304,
                "minSize": 262144,
              },
              "compression": "zstd:3",
              "delete": false,
              "exclude": [],
              "include": [],
              "packSize": 67108864,
              "resume": true,
            },
            "position": 3,
            "schedule": null,
            "size": null,
            "source": {
              "kind": "local",
              "path": "/backup",
            },
          },
        ],
        "order": [
          "photos",
          "docs",
          "vault",
        ],
        "ready": [
          "photos",
          "docs",
        ],
        "version": 1,
      }
    `);
    expect(renderPlanJson(planStarmap(manifest, { sizes }))).toBe(json);
  });
});

describe('renderPlanDot', () => {
  const dot = renderPlanDot(planStarmap(manifest));

  it('renders a digraph with quoted ids, dependency edges and rank=same groups', () => {
    expect(dot).toMatchInlineSnapshot(`
      "digraph starmap {
        rankdir=LR;
        node [shape=box];
        "photos" [label="1. photos (copy)\\n/data/photos → nas-01:/srv/photos"];
        "docs" [label="2. docs (mirror)\\n/data/docs → /backup/docs"];
        "vault" [label="3. vault (archive)\\n/backup → /archive"];
        "photos" -> "vault";
        "docs" -> "vault";
        subgraph "group_1" { rank=same; "photos"; "docs"; }
        subgraph "group_2" { rank=same; "vault"; }
      }
      "
    `);
  });

  it('is structurally valid DOT: balanced braces, quoted ids, every edge between declared nodes', () => {
    expect(dot.startsWith('digraph starmap {\n')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    const withoutStrings = dot.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    expect(withoutStrings.split('{').length).toBe(withoutStrings.split('}').length);
    expect(withoutStrings.replaceAll('""', '')).not.toContain('"');
    const nodes = [...dot.matchAll(/^ {2}"([^"]+)" \[label=/gm)].map((match) => match[1]);
    const edges = [...dot.matchAll(/^ {2}"([^"]+)" -> "([^"]+)";$/gm)].map((match) => [match[1], match[2]]);
    expect(nodes).toEqual(['photos', 'docs', 'vault']);
    expect(edges).toEqual([
      ['photos', 'vault'],
      ['docs', 'vault'],
    ]);
  });

  it('escapes quotes and backslashes in labels', () => {
    const odd = parseManifest('[[job]]\nname = "a"\nsource = \'/data/say "hi"\\\'\ndestination = "/out"\n', {
      file: '/m/orbit.toml',
      env: {},
    });
    expect(renderPlanDot(planStarmap(odd))).toContain('"1. a (copy)\\n/data/say \\"hi\\"\\\\ → /out"');
  });
});

describe('starmapGraph', () => {
  it('gives React Flow nodes with groups and dependency edges', () => {
    expect(starmapGraph(manifest.jobs, 1)).toEqual({
      nodes: [
        { id: 'photos', label: 'photos', mode: 'copy', group: 1 },
        { id: 'docs', label: 'docs', mode: 'mirror', group: 2 },
        { id: 'vault', label: 'vault', mode: 'archive', group: 3 },
      ],
      edges: [
        { from: 'photos', to: 'vault' },
        { from: 'docs', to: 'vault' },
      ],
    });
    expect(starmapGraph(manifest.jobs).nodes.map((node) => node.group)).toEqual([1, 1, 2]);
  });
});

describe('human formats', () => {
  it('formats sizes, counts and durations', () => {
    expect([0, 1023, 1024, 1536, 5 * 1024 ** 2, 3.25 * 1024 ** 4].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.0 KiB',
      '1.5 KiB',
      '5.0 MiB',
      '3.3 TiB',
    ]);
    expect([0, 999, 1000, 1234567].map(formatCount)).toEqual(['0', '999', '1,000', '1,234,567']);
    expect([0.2, 45, 150, 3600, 3900].map(formatDuration)).toEqual([
      '1 s',
      '45 s',
      '2 min 30 s',
      '1 h',
      '1 h 5 min',
    ]);
  });
});
