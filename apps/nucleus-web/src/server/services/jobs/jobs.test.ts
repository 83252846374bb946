import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus, type TeamEvent } from '../../events/event-bus.ts';
import { teamContext } from '../../testing/fixtures.ts';
import { seedTeam } from '../../testing/seed-team.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.ts';
import { createJob } from './create-job.ts';
import { findDependencyCycle } from './dependency-cycle.ts';
import { importManifest } from './import-manifest.ts';
import { jobStarmap } from './job-starmap.ts';
import { listJobs } from './list-jobs.ts';
import { previewManifest } from './preview-manifest.ts';
import { updateJob } from './update-job.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

async function ownerContext() {
  const seeded = await seedTeam(test, 'owner');
  return { seeded, ctx: teamContext(test, seeded.user, seeded.team, 'owner') };
}

describe('findDependencyCycle', () => {
  it('finds the path that would close a cycle and nothing when there is none', () => {
    const edges = new Map([
      ['b', ['a']],
      ['c', ['b']],
    ]);
    expect(findDependencyCycle(edges, 'a', ['c'])).toEqual(['a', 'c', 'b', 'a']);
    expect(findDependencyCycle(edges, 'd', ['c'])).toBeNull();
  });
});

describe('jobs', () => {
  it('creates a job with normalised options and publishes a change event', async () => {
    const { seeded, ctx } = await ownerContext();
    const events = createEventBus();
    const seen: TeamEvent[] = [];
    events.subscribe(seeded.team.id, (event) => seen.push(event));
    const job = await createJob({
      ctx: { ...ctx, events },
      input: {
        name: 'photos',
        sourceStarId: seeded.starId,
        sourcePath: '/srv/photos',
        destinationPath: '/backup',
        compression: 'ZSTD:7',
        schedule: '0 3 * * *',
        dependsOn: [seeded.jobId],
      },
    });
    expect(job).toMatchObject({
      compression: 'zstd:7',
      checksum: 'blake3',
      sourceStar: { id: seeded.starId, name: 'star-1' },
      dependsOn: [{ id: seeded.jobId, name: 'idle' }],
      schedule: '0 3 * * *',
      lastRun: null,
    });
    expect(seen).toEqual([{ type: 'job.changed', id: job.id }]);
  });

  it('explains invalid fields: cron, compression, relative paths', async () => {
    const { ctx } = await ownerContext();
    await expect(
      createJob({
        ctx,
        input: { name: 'x', sourcePath: '/a', destinationPath: '/b', schedule: 'every day' },
      }),
    ).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ['schedule'], message: expect.stringContaining('5 fields') })],
    });
    await expect(
      createJob({
        ctx,
        input: { name: 'x', sourcePath: '/a', destinationPath: '/b', compression: 'zstd:99' },
      }),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ['compression'] })] });
  });

  it('refuses a dependency that would create a cycle, naming the jobs', async () => {
    const { ctx } = await ownerContext();
    const a = await createJob({ ctx, input: { name: 'a', sourcePath: '/a', destinationPath: '/a2' } });
    const b = await createJob({
      ctx,
      input: { name: 'b', sourcePath: '/b', destinationPath: '/b2', dependsOn: [a.id] },
    });
    await expect(updateJob({ ctx, input: { jobId: a.id, dependsOn: [b.id] } })).rejects.toMatchObject({
      code: 'INVALID',
      message: expect.stringContaining('a → b → a'),
    });
    await expect(updateJob({ ctx, input: { jobId: a.id, dependsOn: [a.id] } })).rejects.toMatchObject({
      code: 'INVALID',
    });
  });

  it('changes only the fields sent and audits before and after', async () => {
    const { seeded, ctx } = await ownerContext();
    const job = await createJob({
      ctx,
      input: { name: 'keep', sourcePath: '/a', destinationPath: '/b', checksum: 'sha256' },
    });
    const updated = await updateJob({ ctx, input: { jobId: job.id, concurrency: 9 } });
    expect(updated).toMatchObject({ concurrency: 9, checksum: 'sha256', compression: 'none' });
    const row = await test.db.auditLog.findFirstOrThrow({
      where: { chain: seeded.team.id, action: 'job.update' },
    });
    expect(row.before).toMatchObject({ concurrency: 4 });
    expect(row.after).toMatchObject({ concurrency: 9 });
  });

  it('filters the list by latest run state, mode and search text', async () => {
    const { ctx } = await ownerContext();
    expect((await listJobs({ ctx, input: { status: 'queued' } })).map((job) => job.name)).toEqual(['busy']);
    expect((await listJobs({ ctx, input: { status: 'never' } })).map((job) => job.name)).toEqual(['idle']);
    expect((await listJobs({ ctx, input: { search: 'BROK' } })).map((job) => job.name)).toEqual(['broken']);
    expect(await listJobs({ ctx, input: { mode: 'archive' } })).toEqual([]);
  });

  it('draws the team’s jobs as a graph keyed by job id', async () => {
    const { ctx } = await ownerContext();
    const a = await createJob({ ctx, input: { name: 'a', sourcePath: '/a', destinationPath: '/a2' } });
    const b = await createJob({
      ctx,
      input: { name: 'b', sourcePath: '/b', destinationPath: '/b2', dependsOn: [a.id] },
    });
    const map = await jobStarmap({ ctx });
    expect(map.edges).toEqual([{ from: a.id, to: b.id }]);
    expect(map.nodes.find((node) => node.label === 'busy')).toMatchObject({ status: 'queued' });
    expect(map.nodes.find((node) => node.label === 'a')).not.toHaveProperty('status');
  });
});

describe('manifests', () => {
  const manifest = (source: string) => `
[defaults]
concurrency = 2

[[job]]
name = "ingest"
source = ${source}
destination = "/vault/in"

[[job]]
name = "publish"
source = "/vault/in"
destination = "/www"
depends_on = ["ingest"]
schedule = "*/15 * * * *"
`;

  it('previews jobs and their Starmap without saving anything', async () => {
    const { seeded, ctx } = await ownerContext();
    const preview = await previewManifest({
      ctx,
      input: { toml: manifest('{ star = "star-1", path = "/data" }') },
    });
    expect(preview).toMatchObject({
      ok: true,
      jobs: [
        { name: 'ingest', source: 'star-1:/data', exists: false },
        { name: 'publish', dependsOn: ['ingest'], schedule: '*/15 * * * *' },
      ],
      starmap: { edges: [{ from: 'ingest', to: 'publish' }] },
    });
    expect(await test.db.job.count({ where: { teamId: seeded.team.id } })).toBe(3);
  });

  it('returns every problem with line and column instead of throwing', async () => {
    const { ctx } = await ownerContext();
    const preview = await previewManifest({ ctx, input: { toml: '[[job]]\nname = "x"\nsource = "/a"\n' } });
    expect(preview.ok).toBe(false);
    if (preview.ok) return;
    expect(preview.problems[0]).toMatchObject({
      line: expect.any(Number),
      keyPath: expect.stringContaining('job[0]'),
    });
    const syntax = await previewManifest({ ctx, input: { toml: '[[job]\n' } });
    expect(syntax).toMatchObject({ ok: false, problems: [{ line: 1, column: expect.any(Number) }] });
  });

  it('does not expand the server’s environment variables', async () => {
    const { ctx } = await ownerContext();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a manifest's ${VAR}, not a JS template
    const preview = await previewManifest({ ctx, input: { toml: manifest('"${HOME}/data"') } });
    expect(preview).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('HOME') }] });
  });

  it('imports every job with Stars resolved and dependencies linked, or nothing', async () => {
    const { seeded, ctx } = await ownerContext();
    const jobs = await importManifest({
      ctx,
      input: { toml: manifest('{ star = "star-1", path = "/data" }') },
    });
    expect(
      jobs.map((job) => [job.name, job.sourceStar?.name ?? null, job.dependsOn.map((dep) => dep.name)]),
    ).toEqual([
      ['ingest', 'star-1', []],
      ['publish', null, ['ingest']],
    ]);
    expect(jobs[0]?.concurrency).toBe(2);
    await expect(importManifest({ ctx, input: { toml: manifest('"/data"') } })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await test.db.job.count({ where: { teamId: seeded.team.id } })).toBe(5);
  });

  it('points at the line of an unknown Star', async () => {
    const { seeded, ctx } = await ownerContext();
    await expect(
      importManifest({ ctx, input: { toml: manifest('{ star = "ghost", path = "/data" }') } }),
    ).rejects.toMatchObject({
      code: 'INVALID',
      fields: [
        {
          path: expect.stringMatching(/^7:\d+ job\[0\]\.source\.star$/),
          message: expect.stringContaining('ghost'),
        },
      ],
    });
    expect(await test.db.job.count({ where: { teamId: seeded.team.id } })).toBe(3);
  });
});
