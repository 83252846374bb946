import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiToken } from '../services/api-tokens/create-api-token.ts';
import { teamContext } from '../testing/fixtures.ts';
import { rest } from '../testing/rest-client.ts';
import { seedTeam } from '../testing/seed-team.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { matchRoute } from './handle-rest.ts';
import { REST_ROUTES } from './rest-routes.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

const documentSchema = z.object({
  openapi: z.literal('3.1.0'),
  paths: z.record(
    z.string(),
    z.record(
      z.string(),
      z.object({
        operationId: z.string(),
        responses: z.record(
          z.string(),
          z.object({
            content: z.record(z.string(), z.object({ schema: z.record(z.string(), z.unknown()) })).optional(),
          }),
        ),
      }),
    ),
  ),
});

async function fetchDocument() {
  const response = await rest(test, 'GET', '/openapi.json');
  expect(response.status).toBe(200);
  return documentSchema.parse(response.body);
}

function concrete(template: string): string {
  return template.replace(/\{(\w+)\}/g, 'some-id');
}

describe('OpenAPI document', () => {
  it('documents every route the handler serves, and the handler serves every documented route', async () => {
    const document = await fetchDocument();
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(REST_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    for (const entry of documented) {
      const [method = '', path = ''] = entry.split(' ');
      expect(matchRoute(method, concrete(path))?.route.path, entry).toBe(path);
    }
  });

  it('describes real responses: each one validates against its documented schema', async () => {
    const document = await fetchDocument();
    const seeded = await seedTeam(test, 'owner');
    const ctx = teamContext(test, seeded.user, seeded.team, 'owner');
    const { token } = await createApiToken({ ctx, input: { name: 'conformance', role: 'owner' } });
    const responseSchema = (path: string, method: string, status: number) => {
      const content = document.paths[path]?.[method]?.responses[String(status)]?.content;
      const schema = content?.['application/json']?.schema;
      if (!schema) throw new Error(`${method} ${path} documents no ${status} response`);
      return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    };
    const calls: [string, string, string, unknown?][] = [
      ['get', '/jobs', '/jobs'],
      ['post', '/jobs', '/jobs', { name: 'documented', sourcePath: '/a', destinationPath: '/b' }],
      ['get', '/jobs/{jobId}', `/jobs/${seeded.jobId}`],
      ['post', '/jobs/{jobId}/run', `/jobs/${seeded.jobId}/run`],
      ['get', '/runs', '/runs'],
      ['get', '/runs/{runId}', `/runs/${seeded.failedRunId}`],
      ['get', '/runs/{runId}/files', `/runs/${seeded.failedRunId}/files`],
      ['get', '/runs/{runId}/files/counts', `/runs/${seeded.failedRunId}/files/counts`],
      ['get', '/runs/{runId}/failures', `/runs/${seeded.failedRunId}/failures`],
      ['post', '/runs/{runId}/cancel', `/runs/${seeded.queuedRunId}/cancel`],
      ['get', '/stars', '/stars'],
      ['get', '/stars/{starId}', `/stars/${seeded.starId}`],
      ['post', '/stars/{starId}/drain', `/stars/${seeded.starId}/drain`],
      ['post', '/join-tokens', '/join-tokens', {}],
      ['post', '/join-tokens/{joinTokenId}/revoke', `/join-tokens/${seeded.joinTokenId}/revoke`],
      ['get', '/audit', '/audit'],
      ['post', '/audit/verify', '/audit/verify'],
      [
        'post',
        '/jobs/import',
        '/jobs/import',
        { toml: '[[job]]\nname = "doc"\nsource = "/s"\ndestination = "/d"\n' },
      ],
    ];
    expect(new Set(calls.map(([method, path]) => `${method} ${path}`)).size).toBe(REST_ROUTES.length);
    for (const [method, template, path, json] of calls) {
      const response = await rest(test, method.toUpperCase(), path, {
        token,
        ...(json === undefined ? {} : { json }),
      });
      const route = REST_ROUTES.find(
        (candidate) => candidate.path === template && candidate.method === method.toUpperCase(),
      );
      expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(route?.status);
      const result = responseSchema(template, method, response.status).safeParse(response.body);
      expect(result.success, `${method} ${path}: ${result.error?.message}`).toBe(true);
    }
    const refused = await rest(test, 'GET', `/jobs/unknown-id`, { token });
    expect(responseSchema('/jobs/{jobId}', 'get', 404).safeParse(refused.body).success).toBe(true);
  });
});
