import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Role } from '../auth/permissions.ts';
import { errorBodySchema } from '../errors.ts';
import { createApiToken } from '../services/api-tokens/create-api-token.ts';
import { jobDto } from '../services/jobs/job-dto.ts';
import { runFailureDto } from '../services/runs/list-run-failures.ts';
import { runFilesPageDto } from '../services/runs/list-run-files.ts';
import { runDto } from '../services/runs/run-dto.ts';
import { teamContext } from '../testing/fixtures.ts';
import { rest } from '../testing/rest-client.ts';
import { seedTeam } from '../testing/seed-team.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

async function tokenFor(role: Role, expiresInDays: number | null = 30) {
  const seeded = await seedTeam(test, 'owner');
  const ctx = teamContext(test, seeded.user, seeded.team, 'owner');
  const created = await createApiToken({ ctx, input: { name: `${role}-token`, role, expiresInDays } });
  return { ...seeded, token: created.token, tokenId: created.apiToken.id };
}

const MANIFEST = `
[defaults]
compression = "zstd:3"

[[job]]
name = "photos"
source = "/srv/photos"
destination = "/backup/photos"

[[job]]
name = "thumbnails"
source = "/srv/thumbs"
destination = "/backup/thumbs"
depends_on = ["photos"]
`;

describe('REST /api/v1', () => {
  it('creates, lists, gets and runs a job, then reads and cancels the run', async () => {
    const { token } = await tokenFor('operator');
    const created = await rest(test, 'POST', '/jobs', {
      token,
      json: {
        name: 'nightly',
        sourcePath: '/data',
        destinationPath: '/backup',
        include: ['**/*.jpg'],
        compression: 'zstd',
      },
    });
    expect(created.status).toBe(201);
    const job = jobDto.parse(created.body);
    expect(job).toMatchObject({
      name: 'nightly',
      compression: 'zstd:3',
      include: ['**/*.jpg'],
      createdBy: expect.any(String),
    });

    const list = await rest(test, 'GET', '/jobs?search=night', { token });
    expect(
      z
        .array(jobDto)
        .parse(list.body)
        .map((item) => item.id),
    ).toEqual([job.id]);
    expect((await rest(test, 'GET', `/jobs/${job.id}`, { token })).status).toBe(200);

    const started = await rest(test, 'POST', `/jobs/${job.id}/run`, { token });
    expect(started.status).toBe(201);
    const run = runDto.parse(started.body);
    expect(run).toMatchObject({
      state: 'queued',
      stateReason: 'waiting for a Star',
      progress: { fraction: null },
    });

    const again = await rest(test, 'POST', `/jobs/${job.id}/run`, { token });
    expect(again.status).toBe(409);
    expect(errorBodySchema.parse(again.body).error.code).toBe('CONFLICT');

    expect(runDto.parse((await rest(test, 'GET', `/runs/${run.id}`, { token })).body).state).toBe('queued');
    expect((await rest(test, 'GET', `/runs/${run.id}/files`, { token })).body).toEqual({
      items: [],
      nextCursor: null,
    });
    expect((await rest(test, 'GET', `/runs/${run.id}/failures`, { token })).body).toEqual([]);
    const cancelled = await rest(test, 'POST', `/runs/${run.id}/cancel`, { token });
    expect(runDto.parse(cancelled.body)).toMatchObject({
      state: 'cancelled',
      error: 'cancelled by operator-token',
    });
  });

  it('pages a run’s files by status and path from query strings, with counts and failures', async () => {
    const { token, failedRunId } = await tokenFor('viewer');
    const files = `/runs/${failedRunId}/files`;
    const first = runFilesPageDto.parse((await rest(test, 'GET', `${files}?limit=1`, { token })).body);
    expect(first.items.map((file) => file.path)).toEqual(['a.bin']);
    const cursor = encodeURIComponent(first.nextCursor ?? '');
    const second = runFilesPageDto.parse(
      (await rest(test, 'GET', `${files}?limit=1&cursor=${cursor}`, { token })).body,
    );
    expect(second).toMatchObject({ items: [{ path: 'b.bin', status: 'failed' }], nextCursor: null });
    const failed = runFilesPageDto.parse((await rest(test, 'GET', `${files}?status=failed`, { token })).body);
    expect(failed.items.map((file) => [file.path, file.error])).toEqual([['b.bin', 'write: disk full']]);
    const byPath = runFilesPageDto.parse((await rest(test, 'GET', `${files}?path=A.B`, { token })).body);
    expect(byPath.items.map((file) => file.path)).toEqual(['a.bin']);
    expect((await rest(test, 'GET', `${files}/counts`, { token })).body).toEqual({
      total: 2,
      byStatus: { pending: 0, running: 0, done: 1, failed: 1, skipped: 0 },
    });
    expect((await rest(test, 'GET', `${files}/counts?path=b.`, { token })).body).toMatchObject({ total: 1 });
    // The failures: oldest first, a page of `limit` after the failure `after`.
    await test.db.deadLetter.create({
      data: { runId: failedRunId, path: 'b.bin', error: 'retry: disk full', attempts: 2 },
      select: { id: true },
    });
    const failures = `/runs/${failedRunId}/failures`;
    const page = z.array(runFailureDto);
    const firstFailures = page.parse((await rest(test, 'GET', `${failures}?limit=1`, { token })).body);
    expect(firstFailures).toMatchObject([{ path: 'b.bin', error: 'write: disk full' }]);
    const after = firstFailures[0]?.id ?? '';
    expect((await rest(test, 'GET', `${failures}?limit=1&after=${after}`, { token })).body).toMatchObject([
      { path: 'b.bin', error: 'retry: disk full', attempts: 2 },
    ]);
    const afterFirst = page.parse((await rest(test, 'GET', `${failures}?after=${after}`, { token })).body);
    expect(afterFirst.map((failure) => failure.error)).toEqual(['retry: disk full']);
    expect((await rest(test, 'GET', failures, { token })).body).toHaveLength(2);
    expect((await rest(test, 'GET', `${failures}?after=no-such-failure`, { token })).status).toBe(404);
    const refused = await rest(test, 'GET', `${files}?status=linked`, { token });
    expect(refused.status).toBe(400);
    expect(errorBodySchema.parse(refused.body).error.fields?.map((field) => field.path)).toEqual(['status']);
  });

  it('imports a manifest sent as text/plain, as multipart, or as JSON', async () => {
    const { token } = await tokenFor('operator');
    const plain = await rest(test, 'POST', '/jobs/import', {
      token,
      body: MANIFEST,
      contentType: 'text/plain',
    });
    expect(plain.status).toBe(201);
    const jobs = z.array(jobDto).parse(plain.body);
    expect(jobs.map((job) => [job.name, job.dependsOn.map((dep) => dep.name)])).toEqual([
      ['photos', []],
      ['thumbnails', ['photos']],
    ]);
    expect(jobs[0]?.compression).toBe('zstd:3');

    const { token: second } = await tokenFor('operator');
    const form = new FormData();
    form.set('manifest', new Blob([MANIFEST], { type: 'application/toml' }), 'orbit.manifest.toml');
    expect((await rest(test, 'POST', '/jobs/import', { token: second, body: form })).status).toBe(201);

    const { token: third } = await tokenFor('operator');
    expect(
      (await rest(test, 'POST', '/jobs/import', { token: third, json: { toml: MANIFEST } })).status,
    ).toBe(201);
  });

  it('reports manifest problems with line, column and key path', async () => {
    const { token } = await tokenFor('operator');
    const broken = `[[job]]\nname = "a"\nsource = "/x"\ndestination = "/y"\nmode = "teleport"\n`;
    const response = await rest(test, 'POST', '/jobs/import', {
      token,
      body: broken,
      contentType: 'text/plain',
    });
    expect(response.status).toBe(400);
    const { error } = errorBodySchema.parse(response.body);
    expect(error.code).toBe('INVALID');
    expect(error.fields?.[0]?.path).toMatch(/^5:\d+ job\[0\]\.mode$/);
  });

  it('names the invalid field in validation errors', async () => {
    const { token } = await tokenFor('operator');
    const response = await rest(test, 'POST', '/jobs', {
      token,
      json: { name: 'Bad Name', sourcePath: 'relative', destinationPath: '/ok' },
    });
    expect(response.status).toBe(400);
    const { error } = errorBodySchema.parse(response.body);
    expect(error.fields?.map((field) => field.path).sort()).toEqual(['name', 'sourcePath']);
  });

  it('refuses a role that is too low with 403 and touches nothing', async () => {
    const { token, team } = await tokenFor('viewer');
    const response = await rest(test, 'POST', '/jobs', {
      token,
      json: { name: 'x', sourcePath: '/a', destinationPath: '/b' },
    });
    expect(response.status).toBe(403);
    expect(errorBodySchema.parse(response.body).error.code).toBe('FORBIDDEN');
    expect(await test.db.job.count({ where: { teamId: team.id, name: 'x' } })).toBe(0);
  });

  it('keeps tokens inside their team', async () => {
    const mine = await tokenFor('owner');
    const theirs = await tokenFor('owner');
    const response = await rest(test, 'GET', `/jobs/${theirs.jobId}`, { token: mine.token });
    expect(response.status).toBe(404);
    expect((await rest(test, 'POST', `/stars/${theirs.starId}/drain`, { token: mine.token })).status).toBe(
      404,
    );
  });

  it('answers stars, join tokens and audit', async () => {
    const { token, starId, joinTokenId } = await tokenFor('admin');
    expect((await rest(test, 'GET', '/stars', { token })).body).toMatchObject([
      { id: starId, status: 'offline' },
    ]);
    expect((await rest(test, 'POST', `/stars/${starId}/drain`, { token })).body).toMatchObject({
      lifecycle: 'draining',
    });
    const issued = await rest(test, 'POST', '/join-tokens', {
      token,
      json: { name: 'rack-2', ttlMinutes: 10 },
    });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      token: expect.stringMatching(/^orbj_/),
      joinCommand: null,
    });
    expect((await rest(test, 'POST', `/join-tokens/${joinTokenId}/revoke`, { token })).body).toMatchObject({
      status: 'revoked',
    });
    const audit = await rest(test, 'GET', '/audit?limit=2', { token });
    expect(audit.body).toMatchObject({
      items: [{ action: 'joinToken.revoke', actor: { type: 'token' } }, { action: 'joinToken.issue' }],
    });
    expect((await rest(test, 'POST', '/audit/verify', { token })).body).toMatchObject({ ok: true });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await rest(test, 'GET', '/nothing-here');
    expect(response.status).toBe(404);
    expect(errorBodySchema.parse(response.body).error.code).toBe('NOT_FOUND');
  });
});

describe('REST API tokens', () => {
  it('rejects a missing, malformed or unknown token with 401 and a stable code', async () => {
    for (const [token, reason] of [
      [undefined, 'token_missing'],
      ['not-a-token', 'token_invalid'],
      ['orb_unknown', 'token_invalid'],
    ] as const) {
      const response = await rest(test, 'GET', '/jobs', token === undefined ? {} : { token });
      expect(response.status).toBe(401);
      const { error } = errorBodySchema.parse(response.body);
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(error.message.startsWith(`${reason}:`)).toBe(true);
    }
  });

  it('records last use, and stops working once revoked', async () => {
    const { token, tokenId } = await tokenFor('viewer');
    expect((await rest(test, 'GET', '/jobs', { token })).status).toBe(200);
    const used = await test.db.apiToken.findUniqueOrThrow({
      where: { id: tokenId },
      select: { lastUsedAt: true },
    });
    expect(used.lastUsedAt).toBeInstanceOf(Date);
    await test.db.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    const response = await rest(test, 'GET', '/jobs', { token });
    expect(response.status).toBe(401);
    expect(errorBodySchema.parse(response.body).error.message).toMatch(/^token_revoked:/);
  });

  it('stops working once expired', async () => {
    const { token, tokenId } = await tokenFor('viewer');
    await test.db.apiToken.update({
      where: { id: tokenId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const response = await rest(test, 'GET', '/jobs', { token });
    expect(response.status).toBe(401);
    expect(errorBodySchema.parse(response.body).error.message).toMatch(/^token_expired:/);
  });

  it('stops working when its creator leaves the team', async () => {
    const seeded = await tokenFor('viewer');
    await test.db.membership.deleteMany({ where: { teamId: seeded.team.id, userId: seeded.user.id } });
    expect((await rest(test, 'GET', '/jobs', { token: seeded.token })).status).toBe(401);
  });

  it('cannot be created with more rights than its creator', async () => {
    const seeded = await seedTeam(test, 'admin');
    const ctx = teamContext(test, seeded.user, seeded.team, 'admin');
    await expect(createApiToken({ ctx, input: { name: 'too-strong', role: 'owner' } })).rejects.toMatchObject(
      { code: 'FORBIDDEN' },
    );
  });
});
