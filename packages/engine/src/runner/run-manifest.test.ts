import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../audit/audit-verify.ts';
import { verifyAgainstManifests } from '../cargo/cargo-verify.ts';
import { jobManifestDir } from '../cargo/job-cargo.ts';
import { parseManifest } from '../manifest/parse-manifest.ts';
import { acquireLockFile } from '../pack/store-lock.ts';
import { makeTempDir, randomData, writeTree } from '../transfer/transfer-test-fixtures.ts';
import type { ProgressEvent } from './job-executor.ts';
import { RunJournal } from './run-journal.ts';
import { runManifest } from './run-manifest.ts';

let root: string;
let cleanup: () => Promise<void>;
const KEY = 'test-audit-key-0123456789';

beforeEach(async () => {
  ({ dir: root, cleanup } = await makeTempDir('runner'));
  await writeTree(root, { 'a/one.txt': 'one', 'a/big.bin': randomData(300_000), 'b/two.txt': 'two' });
});
afterEach(() => cleanup());

function manifestOf(jobs: string, defaults = ''): ReturnType<typeof parseManifest> {
  const text = `[defaults]\naudit_log = "audit.log"\n${defaults}\n[defaults.chunking]\nmin = 4096\navg = 16384\nmax = 65536\n\n${jobs}`;
  return parseManifest(text, { file: join(root, 'orbit.manifest.toml'), env: {} });
}

const TWO_JOBS = `
[[job]]
name = "first"
source = "a"
destination = "out/a"

[[job]]
name = "second"
source = "b"
destination = "out/b"
depends_on = ["first"]
`;

describe('runManifest', () => {
  it('runs a dependency before its dependent and audits the run', async () => {
    const events: ProgressEvent[] = [];
    const summary = await runManifest(manifestOf(TWO_JOBS), {
      auditKey: KEY,
      onProgress: (event) => events.push(event),
    });
    expect(summary.status).toBe('succeeded');
    expect(summary.jobs.map((job) => [job.job, job.status])).toEqual([
      ['first', 'succeeded'],
      ['second', 'succeeded'],
    ]);
    const order = events.flatMap((event) =>
      event.type === 'job-start' || event.type === 'job-done' ? [`${event.type}:${event.job}`] : [],
    );
    expect(order).toEqual(['job-start:first', 'job-done:first', 'job-start:second', 'job-done:second']);
    expect(summary.totals.filesCopied).toBe(3);
    expect(await readFile(join(root, 'out/b/two.txt'), 'utf8')).toBe('two');

    const report = await verifyAuditLog(join(root, 'audit.log'), KEY);
    expect(report.ok).toBe(true);
    const lines = (await readFile(join(root, 'audit.log'), 'utf8')).trim().split('\n');
    const types = lines.map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types[0]).toBe('run-start');
    expect(types.at(-1)).toBe('run-end');
    expect(types.filter((type) => type === 'job')).toHaveLength(2);
    expect(types).toContain('chunk');

    const verified = await verifyAgainstManifests(jobManifestDir(join(root, '.orbit'), 'first'));
    expect(verified.ok).toBe(true);
    expect(verified.checks.map((check) => check.path)).toEqual(['big.bin', 'one.txt']);
    // The journal of a finished run is archived, so the next run is a fresh sync.
    expect(await readdir(join(root, '.orbit', 'journal'))).toEqual(['last-run.jsonl']);
  });

  it('skips the dependents of a failed job and lets independent jobs run', async () => {
    await writeFile(join(root, 'blocked'), 'a file where a folder should be');
    const manifest = manifestOf(`
[[job]]
name = "broken"
source = "a"
destination = "blocked/a"

[[job]]
name = "after-broken"
source = "b"
destination = "out/after"
depends_on = ["broken"]

[[job]]
name = "independent"
source = "b"
destination = "out/independent"
`);
    const done: string[] = [];
    const summary = await runManifest(manifest, {
      auditLogPath: false,
      onProgress: (event) => {
        if (event.type === 'job-done') done.push(`${event.job}:${event.result.status}`);
      },
    });
    expect(summary.status).toBe('failed');
    // A job that is not run still ends with its job-done, so a progress display can say so.
    expect(done.sort()).toEqual(['after-broken:skipped', 'broken:failed', 'independent:succeeded']);
    const byName = Object.fromEntries(summary.jobs.map((job) => [job.job, job]));
    expect(byName.broken?.status).toBe('failed');
    expect(byName['after-broken']?.status).toBe('skipped');
    expect(byName['after-broken']?.reason).toBe('dependency "broken" failed');
    expect(byName.independent?.status).toBe('succeeded');
    expect(summary.failures.map((failure) => failure.job)).toEqual(['broken', 'after-broken']);
    await expect(lstat(join(root, 'out/after'))).rejects.toThrow();
  });

  it('writes nothing in a dry run', async () => {
    const summary = await runManifest(manifestOf(TWO_JOBS), { dryRun: true });
    expect(summary.status).toBe('succeeded');
    expect(summary.totals.filesCopied).toBe(3);
    // Nothing is read, so what would be written is given as its upper bound: the files' sizes.
    expect(summary.totals.bytesWritten).toBe(3 + 300_000 + 3);
    expect(summary.totals.bytesRead).toBe(0);
    expect((await readdir(root)).sort()).toEqual(['a', 'b']);
  });

  it('does not fail a dry run over a job whose source an earlier job makes, and says why', async () => {
    const manifest = manifestOf(`
[[job]]
name = "backup"
source = "a"
destination = "out/a"

[[job]]
name = "archive"
source = "out/a"
destination = "out/archive"
mode = "archive"
depends_on = ["backup"]

[[job]]
name = "report"
source = "out/archive"
destination = "out/report"
depends_on = ["archive"]
`);
    const dry = await runManifest(manifest, { dryRun: true });
    expect(dry.status).toBe('succeeded');
    expect(dry.jobs.map((job) => [job.job, job.status, job.notPreviewed ?? false])).toEqual([
      ['backup', 'succeeded', false],
      ['archive', 'skipped', true],
      ['report', 'skipped', true],
    ]);
    expect(dry.failures).toEqual([]);
    expect(dry.notes).toEqual([
      `archive: not previewed — its source ${join(root, 'out/a')} does not exist yet: job "backup" makes it, and a dry run moves nothing`,
      'report: not previewed — it waits for job "archive", which this dry run could not preview',
    ]);
    expect((await readdir(root)).sort()).toEqual(['a', 'b']);

    // Once it exists the job is previewed like any other.
    const real = await runManifest(manifest, { auditLogPath: false });
    expect(real.status).toBe('succeeded');
    const again = await runManifest(manifest, { dryRun: true });
    expect(again.jobs.map((job) => [job.job, job.status])).toEqual([
      ['backup', 'succeeded'],
      ['archive', 'succeeded'],
      ['report', 'succeeded'],
    ]);
    expect(again.notes).toEqual([]);
  });

  it('refuses to run with the audit log on and no key', async () => {
    await expect(runManifest(manifestOf(TWO_JOBS))).rejects.toThrow(/no audit key/);
  });

  it('moves a corrupt journal aside, says so and still runs', async () => {
    await mkdir(join(root, '.orbit', 'journal'), { recursive: true });
    await writeFile(join(root, '.orbit', 'journal', 'current.jsonl'), '0123456789abcdef {"t":"run"}\n');
    const summary = await runManifest(manifestOf(TWO_JOBS), { auditLogPath: false });
    expect(summary.status).toBe('succeeded');
    expect(summary.resumedFrom).toBeUndefined();
    expect(summary.notes).toEqual([expect.stringContaining('corrupt at line 1')]);
    const names = await readdir(join(root, '.orbit', 'journal'));
    expect(names.filter((name) => name.startsWith('corrupt-'))).toHaveLength(1);
  });

  it('does not resume an unfinished run of another manifest, and says so', async () => {
    const other = await RunJournal.open(join(root, '.orbit'), 'fingerprint-of-another-manifest', 'old-run');
    await other.journal.close();
    const summary = await runManifest(manifestOf(TWO_JOBS), { auditLogPath: false });
    expect(summary.status).toBe('succeeded');
    expect(summary.resumedFrom).toBeUndefined();
    expect(summary.notes).toEqual([expect.stringContaining('(old-run) was for a different manifest')]);
    expect(summary.jobs.every((job) => job.status === 'succeeded')).toBe(true);
  });

  it('never copies or deletes its own state folder and audit log', async () => {
    await writeTree(root, { 'out/stale.txt': 'extraneous' });
    const manifest = manifestOf(`
[[job]]
name = "everything"
source = "."
destination = "out"
mode = "mirror"
delete = true
exclude = ["out/**"]
`);
    const stateDir = join(root, 'out', '.orbit');
    const first = await runManifest(manifest, { auditKey: KEY });
    const second = await runManifest(manifest, { auditKey: KEY, stateDir });
    expect([first.failures, second.failures]).toEqual([[], []]);
    expect((await readdir(root)).sort()).toEqual(['.orbit', 'a', 'audit.log', 'audit.log.head', 'b', 'out']);
    expect((await readdir(join(root, 'out'))).sort()).toEqual(['.orbit', 'a', 'b']);
    expect(second.totals.filesDeleted).toBe(0);
  });

  it('runs archive jobs through the archive executor', async () => {
    const manifest = manifestOf(`
[[job]]
name = "backup"
source = "a"
destination = "vault"
mode = "archive"
`);
    const summary = await runManifest(manifest, { auditLogPath: false });
    expect(summary.status).toBe('succeeded');
    expect(summary.jobs[0]?.counters.bytesRead).toBe(300_003);
    expect(await readdir(join(root, 'vault'))).toContain('snapshots');
  });

  it('stops when cancelled and keeps the journal for the next run to resume', async () => {
    const controller = new AbortController();
    const summary = await runManifest(manifestOf(TWO_JOBS), {
      auditLogPath: false,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.type === 'file-start' && event.path === 'big.bin') controller.abort();
      },
    });
    expect(summary.status).toBe('cancelled');
    expect(await readdir(join(root, '.orbit', 'journal'))).toEqual(['current.jsonl']);
    await expect(lstat(join(root, 'out/a/big.bin'))).rejects.toThrow();

    const next = await runManifest(manifestOf(TWO_JOBS), { auditLogPath: false });
    expect(next.status).toBe('succeeded');
    expect(next.resumedFrom).toBe(summary.runId);
    expect(await readFile(join(root, 'out/b/two.txt'), 'utf8')).toBe('two');
  });

  it('refuses to share its state folder with a run in progress', async () => {
    await mkdir(join(root, '.orbit'), { recursive: true });
    const held = await acquireLockFile(join(root, '.orbit', 'run.lock'), 'the run state folder');
    try {
      await expect(runManifest(manifestOf(TWO_JOBS), { auditLogPath: false })).rejects.toThrow(
        /the run state folder is in use by process/,
      );
    } finally {
      await held.release();
    }
    expect((await runManifest(manifestOf(TWO_JOBS), { auditLogPath: false })).status).toBe('succeeded');
  });
});
