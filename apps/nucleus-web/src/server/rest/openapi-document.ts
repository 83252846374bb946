import { z } from 'zod';
import { errorBodySchema } from '../errors.ts';
import type { RestRoute } from './rest-route.ts';
import { REST_ROUTES } from './rest-routes.ts';

type JsonSchema = Record<string, unknown>;

function schemaOf(type: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as JsonSchema;
  return schema;
}

function parameters(route: RestRoute) {
  const list: JsonSchema[] = [];
  for (const [location, object] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!object) continue;
    for (const [name, field] of Object.entries(object.shape)) {
      const schema = schemaOf(field as z.ZodType, 'input');
      list.push({
        name,
        in: location,
        required: location === 'path' || !(field as z.ZodType).safeParse(undefined).success,
        schema,
      });
    }
  }
  return list;
}

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Invalid input; `fields` names each problem',
  '401': 'Missing, invalid, expired or revoked API token',
  '403': 'The token’s role cannot do this',
  '404': 'No such object in the token’s team',
  '409': 'Conflicts with the current state',
  '503': 'Needs a Star that is not connected',
};

function operation(route: RestRoute) {
  const errorContent = { 'application/json': { schema: schemaOf(errorBodySchema, 'output') } };
  const content: Record<string, { schema: JsonSchema }> = {};
  if (route.body) content['application/json'] = { schema: schemaOf(route.body, 'input') };
  if (route.acceptsManifestUpload) {
    content['text/plain'] = { schema: { type: 'string', description: 'orbit.manifest.toml' } };
    content['multipart/form-data'] = {
      schema: {
        type: 'object',
        required: ['manifest'],
        properties: { manifest: { type: 'string', format: 'binary' } },
      },
    };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    parameters: parameters(route),
    ...(route.body ? { requestBody: { required: !route.body.safeParse(undefined).success, content } } : {}),
    responses: {
      [String(route.status)]: {
        description: 'Success',
        content: { 'application/json': { schema: schemaOf(route.response, 'output') } },
      },
      ...Object.fromEntries(
        Object.entries(ERROR_RESPONSES).map(([status, description]) => [
          status,
          { description, content: errorContent },
        ]),
      ),
    },
  };
}

/** OpenAPI 3.1 for /api/v1, generated from the same zod schemas that validate requests. */
export function openApiDocument(routes: readonly RestRoute[] = REST_ROUTES) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Orbit Nucleus API',
      version: '1',
      description: 'Authenticate with an API token: `Authorization: Bearer orb_…` (Admin → API tokens).',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
