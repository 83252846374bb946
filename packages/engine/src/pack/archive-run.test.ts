import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../audit/audit-verify.ts';
import { parseManifest } from '../manifest/parse-manifest.ts';
import { runManifest } from '../runner/run-manifest.ts';
import { archiveJob } from './archive-job.ts';
import { makeTempDir, writeMixedTree } from './archive-test-fixtures.ts';
import { restoreArchive } from './restore-archive.ts';
import { verifyArchive } from './verify-archive.ts';

const KEY = 'archive-run-audit-key-0123456789';
let root: string;

beforeEach(async () => {
  root = await makeTempDir('archive-run');
  await writeMixedTree(join(root, 'photos'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const MANIFEST = `
[defaults]
audit_log = "audit.log"

[defaults.chunking]
min = 4096
avg = 16384
max = 65536

[[job]]
name = "vault"
mode = "archive"
source = "photos"
destination = "vault"
compression = "zstd:3"
pack_size = 131072
`;

describe('archive mode through the runner', () => {
  it('archives, audits every file and chunk in a chain that verifies, and restores', async () => {
    const manifest = parseManifest(MANIFEST, { file: join(root, 'orbit.manifest.toml'), env: {} });
    const options = { auditKey: KEY, executors: { archive: archiveJob } };
    const first = await runManifest(manifest, options);
    expect(first.status).toBe('succeeded');
    const second = await runManifest(manifest, options);
    expect(second.totals).toMatchObject({ bytesWritten: 0, chunksWritten: 0 });

    const audit = await verifyAuditLog(join(root, 'audit.log'), KEY);
    expect(audit).toMatchObject({ ok: true, anchor: 'verified' });
    const lines = (await readFile(join(root, 'audit.log'), 'utf8'))
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { type: string; action?: string; mode?: string; files?: { unchanged: number } },
      );
    const jobs = lines.filter((line) => line.type === 'job');
    expect(jobs.map((line) => line.mode)).toEqual(['archive', 'archive']);
    expect(lines.some((line) => line.type === 'chunk' && line.action === 'written')).toBe(true);
    // The second run only looked at them: counted in its job event, no file line each.
    expect(jobs[1]?.files?.unchanged).toBe(6);
    expect(lines.filter((line) => line.type === 'file' && line.action === 'unchanged')).toHaveLength(0);

    expect((await verifyArchive(join(root, 'vault'))).ok).toBe(true);
    const restored = await restoreArchive(join(root, 'vault'), join(root, 'restored'));
    expect(restored.filesRestored).toBe(5);
    const [original, copy] = await Promise.all([
      readFile(join(root, 'photos/data/deep/nested/big.bin')),
      readFile(join(root, 'restored/data/deep/nested/big.bin')),
    ]);
    expect(copy.equals(original)).toBe(true);
  });
});
